package org.qingfeng.sim;

/** Masks phone numbers for logs: the simulator must never print a whole number. */
final class PhoneMask {

    private PhoneMask() {
    }

    /** {@code 13812345678 -> 138****5678}; short values keep at most their first character. */
    static String mask(String number) {
        if (number == null || number.isEmpty()) {
            return "";
        }
        int length = number.length();
        if (length >= 8) {
            return number.substring(0, 3) + "****" + number.substring(length - 4);
        }
        return number.charAt(0) + "*".repeat(length - 1);
    }
}
