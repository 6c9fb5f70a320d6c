package org.qingfeng.campaign;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/** Phone numbers as the campaign domain needs them: validity of stored E.164 numbers, masking for logs and viewers. */
public final class Phones {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private Phones() {
  }

  /** "+8613812345678" becomes "+86138****5678"; short or odd values lose all but the last two digits. */
  public static String mask(String phone) {
    if (phone == null) {
      return "-";
    }
    if (phone.length() < 9) {
      return "****" + phone.substring(Math.max(0, phone.length() - 2));
    }
    return phone.substring(0, phone.length() - 8) + "****" + phone.substring(phone.length() - 4);
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
