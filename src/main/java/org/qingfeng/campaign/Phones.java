package org.qingfeng.campaign;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/** Validity of stored E.164 numbers as the campaign domain needs it (masking is org.qingfeng.sms.PhoneMask). */
public final class Phones {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private Phones() {
  }

  /** True when an E.164 number is a valid number for its country (libphonenumber). */
  public static boolean validE164(String phone) {
    if (phone == null || !phone.matches("\\+[1-9][0-9]{6,14}")) {
      return false;
    }
    try {
      return UTIL.isValidNumber(UTIL.parse(phone, "ZZ"));
    } catch (NumberParseException e) {
      return false;
    }
  }
}
