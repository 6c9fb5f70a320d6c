package org.qingfeng.campaign;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import org.qingfeng.contacts.PhoneNumbers;

/** Validity of stored E.164 numbers as the campaign domain needs it (masking is org.qingfeng.sms.PhoneMask). */
public final class Phones {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  /**
   * Mainland mobiles, the bulk of any audience here, are checked against libphonenumber's own
   * mobile pattern and lengths (about 1/10 of the cost of a full parse, which showed as the
   * expander's largest per-recipient cost); every other number takes the full path.
   */
  private static final PhoneNumbers MAINLAND_MOBILES = new PhoneNumbers("CN");

  private Phones() {
  }

  /** True when an E.164 number is a valid number for its country (libphonenumber). */
  public static boolean validE164(String phone) {
    if (!e164Shape(phone)) {
      return false;
    }
    if (phone.equals(MAINLAND_MOBILES.fastMobile(phone))) {
      return true;
    }
    try {
      return UTIL.isValidNumber(UTIL.parse(phone, "ZZ"));
    } catch (NumberParseException e) {
      return false;
    }
  }

  /** '+', a non-zero digit, then 6 to 14 digits: checked by hand, as String.matches compiles its pattern on every call. */
  private static boolean e164Shape(String phone) {
    if (phone == null || phone.length() < 8 || phone.length() > 16 || phone.charAt(0) != '+' || phone.charAt(1) == '0') {
      return false;
    }
    for (int i = 1; i < phone.length(); i++) {
      char ch = phone.charAt(i);
      if (ch < '0' || ch > '9') {
        return false;
      }
    }
    return true;
  }
}
