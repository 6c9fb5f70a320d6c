package org.qingfeng.sms.receipt;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Makes the message id from submit_sm_resp and the one in the receipt comparable. SMSCs
 * often return hex in one place and decimal in the other, or differ in case and zero
 * padding; the channel config says which conversion to apply to receipt ids.
 */
public final class SmscIdNormalizer {

    public enum Mode { AS_IS, HEX_TO_DECIMAL, DECIMAL_TO_HEX }

    private final Mode mode;
    private final boolean upperCase;
    private final boolean stripLeadingZeros;

    public SmscIdNormalizer(Mode mode, boolean upperCase, boolean stripLeadingZeros) {
        this.mode = mode == null ? Mode.AS_IS : mode;
        this.upperCase = upperCase;
        this.stripLeadingZeros = stripLeadingZeros;
    }

    /**
     * Parses a config value such as {@code "hex-to-decimal"} or {@code "as-is,upper,strip-zeros"}.
     * Blank means as-is, lower case. Unknown words are config mistakes and are rejected.
     */
    public static SmscIdNormalizer parse(String spec) {
        Mode mode = Mode.AS_IS;
        boolean upper = false;
        boolean strip = false;
        if (spec == null || spec.isBlank()) {
            return new SmscIdNormalizer(mode, upper, strip);
        }
        String[] words = spec.trim().toLowerCase(Locale.ROOT).replace('_', '-').split("\\s*,\\s*");
        for (int i = 0; i < words.length; i++) {
            switch (words[i]) {
                case "as-is": case "asis": mode = Mode.AS_IS; break;
                case "hex-to-decimal": case "hex-to-dec": mode = Mode.HEX_TO_DECIMAL; break;
                case "decimal-to-hex": case "dec-to-hex": mode = Mode.DECIMAL_TO_HEX; break;
                case "upper": upper = true; break;
                case "lower": upper = false; break;
                case "strip-zeros": strip = true; break;
                case "": break;
                default:
                    throw new IllegalArgumentException("Unknown SMSC id normalization '" + words[i]
                            + "' in '" + spec + "'; expected as-is|hex-to-decimal|decimal-to-hex"
                            + " optionally followed by ,upper ,lower ,strip-zeros");
            }
        }
        return new SmscIdNormalizer(mode, upper, strip);
    }

    /** Normalized id; never throws. Ids with digits invalid for the mode come back trimmed and case-folded. */
    public String normalize(String id) {
        if (id == null) {
            return null;
        }
        String trimmed = id.trim();
        switch (mode) {
            case HEX_TO_DECIMAL:
                return trimmed.matches("[0-9A-Fa-f]+") ? new BigInteger(trimmed, 16).toString(10) : foldCase(trimmed);
            case DECIMAL_TO_HEX:
                return trimmed.matches("[0-9]+") ? foldCase(new BigInteger(trimmed, 10).toString(16)) : foldCase(trimmed);
            case AS_IS:
            default:
                return foldCase(stripLeadingZeros ? stripZeros(trimmed) : trimmed);
        }
    }

    public Mode mode() {
        return mode;
    }

    private String foldCase(String value) {
        return upperCase ? value.toUpperCase(Locale.ROOT) : value.toLowerCase(Locale.ROOT);
    }

    /** Keeps one zero for an all-zero id so it never becomes empty. */
    private static String stripZeros(String value) {
        int first = 0;
        while (first < value.length() - 1 && value.charAt(first) == '0') {
            first++;
        }
        return value.substring(first);
    }

    @Override
    public String toString() {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-') + (upperCase ? ",upper" : ",lower")
                + (stripLeadingZeros ? ",strip-zeros" : "");
    }
}
