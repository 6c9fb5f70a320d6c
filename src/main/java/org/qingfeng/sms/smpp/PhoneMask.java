package org.qingfeng.sms.smpp;

/** Logs never carry a whole phone number: 13812345678 becomes 138****5678. */
public final class PhoneMask {
    private PhoneMask() {
    }

    public static String mask(String number) {
        if (number == null) {
            return "null";
        }
        int n = number.length();
        if (n >= 8) {
            return number.substring(0, n - 8) + "****" + number.substring(n - 4);
        }
        return "****" + number.substring(Math.max(0, n - 2));
    }
}
