package org.qingfeng.contacts;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Normalises phone numbers to E.164 with libphonenumber. Numbers without a country code are
 * read in the configured default region ({@code contacts.default-region}, CN by default).
 * CPU only, no I/O: safe on an event loop for bounded batches.
 *
 * <p>Speed: a full {@code parse} + {@code isValidNumber} costs 10–40 µs (dozens of regular
 * expressions), too slow for a million-row import on one event loop. The common shape, a
 * mobile number of the default region written as plain digits (with optional separators and
 * an optional +CC / 00CC / CC prefix), is checked against the region's mobile pattern and
 * lengths from libphonenumber's own metadata (one regular expression, about 1 µs): a match is
 * a valid number by libphonenumber's rules, and its E.164 form is +CC followed by the digits.
 * Everything else takes the full libphonenumber path.
 */
public final class PhoneNumbers {
  /** Longest raw input considered; anything longer is not a phone number. */
  private static final int MAX_RAW_LENGTH = 40;
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private final String defaultRegion;
  private final String countryCode;
  private final Pattern mobile;
  private final Set<Integer> mobileLengths;
  /** The international dialling prefix when it is a plain digit string (00 in CN), else null. */
  private final String idd;
  private final Pattern general;

  public PhoneNumbers(String defaultRegion) {
    this.defaultRegion = defaultRegion;
    Phonemetadata.PhoneMetadata meta = DefaultMetadataDependenciesProvider.getInstance()
        .getPhoneNumberMetadataSource().getMetadataForRegion(defaultRegion);
    if (meta == null) {
      throw new IllegalArgumentException("libphonenumber has no metadata for region " + defaultRegion);
    }
    this.countryCode = Integer.toString(meta.getCountryCode());
    Phonemetadata.PhoneNumberDesc desc = meta.getMobile();
    this.mobile = desc.hasNationalNumberPattern() ? Pattern.compile(desc.getNationalNumberPattern()) : null;
    Set<Integer> lengths = new HashSet<>(desc.getPossibleLengthList());
    if (lengths.isEmpty() || (lengths.size() == 1 && lengths.contains(-1))) {
      lengths = new HashSet<>(meta.getGeneralDesc().getPossibleLengthList());
    }
    this.mobileLengths = Set.copyOf(lengths);
    this.idd = meta.getInternationalPrefix().matches("\\d+") ? meta.getInternationalPrefix() : null;
    this.general = Pattern.compile(meta.getGeneralDesc().getNationalNumberPattern());
  }

  public String defaultRegion() {
    return defaultRegion;
  }

  /** The outcome for one raw value: an E.164 number, or the reason it is not one. */
  public static final class Result {
    private final String e164;
    private final String reason;

    private Result(String e164, String reason) {
      this.e164 = e164;
      this.reason = reason;
    }

    public boolean valid() {
      return e164 != null;
    }

    public String e164() {
      return e164;
    }

    public String reason() {
      return reason;
    }
  }

  public Result normalize(String raw) {
    if (raw == null || raw.isBlank()) {
      return new Result(null, "the phone number is missing");
    }
    String s = raw.strip();
    if (s.length() > MAX_RAW_LENGTH) {
      return new Result(null, "the phone value is too long to be a number");
    }
    String fast = fastMobile(s);
    if (fast != null) {
      return new Result(fast, null);
    }
    return full(s);
  }

  /** The full libphonenumber path. */
  Result full(String s) {
    PhoneNumber number;
    try {
      number = UTIL.parse(s, defaultRegion);
    } catch (NumberParseException e) {
      return new Result(null, "not a phone number (" + reasonOf(e.getErrorType()) + ")");
    }
    if (!UTIL.isValidNumber(number)) {
      String region = UTIL.getRegionCodeForCountryCode(number.getCountryCode());
      return new Result(null, "not a valid number for region " + region);
    }
    return new Result(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), null);
  }

  /**
   * E.164 for a plain-digit mobile number of the default region, or null when the value has
   * another shape (which then takes the full path; null here never means invalid).
   */
  public String fastMobile(String s) {
    if (mobile == null) {
      return null;
    }
    char[] digits = new char[s.length()];
    int n = 0;
    boolean plus = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits[n++] = c;
      } else if (c == '+' && i == 0) {
        plus = true;
      } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
        return null;
      }
    }
    String all = new String(digits, 0, n);
    String national;
    if (plus) {
      national = all.startsWith(countryCode) ? all.substring(countryCode.length()) : null;
    } else if (mobileLengths.contains(n)) {
      national = all;
    } else if (idd != null && all.startsWith(idd + countryCode)) {
      national = all.substring(idd.length() + countryCode.length());
    } else if (all.startsWith(countryCode) && !general.matcher(all).matches()) {
      // libphonenumber takes a leading country code off only when the whole is not a national number.
      national = all.substring(countryCode.length());
    } else {
      national = null;
    }
    if (national == null || !mobileLengths.contains(national.length()) || !mobile.matcher(national).matches()) {
      return null;
    }
    return "+" + countryCode + national;
  }

  /** E.164 form, or null when the value is not a valid number. */
  public String toE164OrNull(String raw) {
    return normalize(raw).e164();
  }

  private static String reasonOf(NumberParseException.ErrorType type) {
    switch (type) {
      case INVALID_COUNTRY_CODE: return "unknown country code";
      case TOO_SHORT_AFTER_IDD:
      case TOO_SHORT_NSN: return "too short";
      case TOO_LONG: return "too long";
      default: return "no digits that form a number";
    }
  }
}
