package org.qingfeng.sms;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Optional;

/** E.164 normalisation (libphonenumber) and masking for logs and viewers. */
public final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private PhoneNumbers() {
  }

  /** The number in E.164, or empty when it is not a valid number for that region. */
  public static Optional<String> toE164(String raw, String defaultRegion) {
    if (raw == null || raw.isBlank() || raw.length() > 40) {
      return Optional.empty();
    }
    try {
      Phonenumber.PhoneNumber n = UTIL.parse(raw.strip(), defaultRegion);
      return UTIL.isValidNumber(n) ? Optional.of(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164)) : Optional.empty();
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /** 138****5678 style: keeps the first three and last four digits of the national number. */
  public static String mask(String number) {
    if (number == null) {
      return null;
    }
    String digits = number.startsWith("+86") ? number.substring(3) : number;
    if (digits.length() <= 7) {
      return "****" + digits.substring(Math.max(0, digits.length() - 2));
    }
    return digits.substring(0, 3) + "****" + digits.substring(digits.length() - 4);
  }
}
