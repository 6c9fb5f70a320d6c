package org.qingfeng.sms.receipt;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Parses the SMPP 3.4 appendix B receipt text
 * {@code id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…}.
 * Real SMSCs reorder fields, change case, drop fields and add spaces, so this is lenient.
 * It is the fallback when the receipted_message_id / message_state TLVs are absent.
 */
public final class DeliveryReceiptText {

    private enum Field { ID, SUB, DLVRD, SUBMIT_DATE, DONE_DATE, STAT, ERR, TEXT }

    /**
     * The keys in the order a regex alternation would try them, lower case; {@code ' '} stands
     * for {@code [ _]*} (submit date, submit_date, submitdate). The scanner below matches what
     * {@code (?<![A-Za-z0-9_])(id|sub|dlvrd|submit[ _]*date|done[ _]*date|stat|err|text)\s*:\s*}
     * (ASCII case-insensitive) would find, without a regex: receipts arrive by the thousand per
     * second, and the regex cost more CPU than everything else in the connector together.
     */
    private static final String[] KEYS = {"id", "sub", "dlvrd", "submit date", "done date", "stat", "err", "text"};
    private static final Field[] KEY_FIELDS = {Field.ID, Field.SUB, Field.DLVRD, Field.SUBMIT_DATE, Field.DONE_DATE,
            Field.STAT, Field.ERR, Field.TEXT};

    private static final DateTimeFormatter TEN_DIGITS = DateTimeFormatter.ofPattern("uuMMddHHmm");
    private static final DateTimeFormatter TWELVE_DIGITS = DateTimeFormatter.ofPattern("uuMMddHHmmss");

    private DeliveryReceiptText() {
    }

    /** Parsed receipt, or empty when the text carries neither an id nor a stat. */
    public static Optional<ParsedReceipt> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        ParsedReceipt receipt = new ParsedReceipt();
        int seen = 0; // bit per Field ordinal: an EnumSet per receipt was garbage on every deliver_sm
        Field current = null;
        int valueStart = 0;
        int n = text.length();
        int i = 0;
        while (i < n) {
            int key = (i > 0 && isWordChar(text.charAt(i - 1))) ? -1 : keyAt(text, i);
            if (key < 0) {
                i++;
                continue;
            }
            int keyStart = i;
            int end = keyEnd(text, i, KEYS[key]);
            i = end;
            Field field = KEY_FIELDS[key];
            int bit = 1 << field.ordinal();
            // A repeated key is content (e.g. "stat:" inside the free text), not a new field.
            if ((seen & bit) != 0) {
                continue;
            }
            if (current != null) {
                assign(receipt, current, text, valueStart, keyStart);
            }
            seen |= bit;
            current = field;
            valueStart = end;
        }
        if (current != null) {
            assign(receipt, current, text, valueStart, n);
        }
        if (receipt.id == null && receipt.stat == null) {
            return Optional.empty();
        }
        return Optional.of(receipt);
    }

    /** The first key (in alternation order) that matches at {@code at} with its colon, or -1. */
    private static int keyAt(String text, int at) {
        char c = Character.toLowerCase(asciiOnly(text.charAt(at)));
        if (c != 'i' && c != 's' && c != 'd' && c != 'e' && c != 't') {
            return -1;
        }
        for (int k = 0; k < KEYS.length; k++) {
            if (keyEnd(text, at, KEYS[k]) >= 0) {
                return k;
            }
        }
        return -1;
    }

    /** Where {@code key \s* : \s*} matched at {@code at} ends, or -1. */
    private static int keyEnd(String text, int at, String key) {
        int n = text.length();
        int i = at;
        for (int k = 0; k < key.length(); k++) {
            char want = key.charAt(k);
            if (want == ' ') {
                while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '_')) {
                    i++;
                }
                continue;
            }
            if (i >= n || Character.toLowerCase(asciiOnly(text.charAt(i))) != want) {
                return -1;
            }
            i++;
        }
        while (i < n && isSpace(text.charAt(i))) {
            i++;
        }
        if (i >= n || text.charAt(i) != ':') {
            return -1;
        }
        i++;
        while (i < n && isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * The common case without a formatter (two per receipt add up): ASCII digits whose fields are
     * in range for every month, so the formatter would give the same; anything else (day 29-31,
     * hour 24, non-ASCII digits) is left to the formatter. Null when not the common case.
     */
    private static LocalDateTime plainDate(String digits) {
        if (!isPlainDigits(digits)) {
            return null;
        }
        int length = digits.length();
        int month = twoDigits(digits, 2);
        int day = twoDigits(digits, 4);
        int hour = twoDigits(digits, 6);
        int minute = twoDigits(digits, 8);
        int second = length == 12 ? twoDigits(digits, 10) : 0;
        if (month < 1 || month > 12 || day < 1 || day > 28 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        return LocalDateTime.of(2000 + twoDigits(digits, 0), month, day, hour, minute, second);
    }

    /** Ten or twelve ASCII digits (YYMMDDhhmm[ss]): the only dates the fast paths answer. */
    public static boolean isPlainDigits(String digits) {
        int length = digits.length();
        if (length != 10 && length != 12) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int twoDigits(String s, int at) {
        return (s.charAt(at) - '0') * 10 + (s.charAt(at + 1) - '0');
    }

    /** Case-insensitive matching is ASCII-only (as a regex without UNICODE_CASE): other letters never match. */
    private static char asciiOnly(char c) {
        return c < 128 ? c : '\0';
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** {@code \s} of java.util.regex without UNICODE_CHARACTER_CLASS. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** Reads a YYMMDDhhmm or YYMMDDhhmmss receipt date (years 2000-2099); empty when malformed. */
    public static Optional<LocalDateTime> parseDate(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String digits = raw.trim();
        LocalDateTime fast = plainDate(digits);
        if (fast != null) {
            return Optional.of(fast);
        }
        try {
            if (digits.length() == 10) {
                return Optional.of(LocalDateTime.parse(digits, TEN_DIGITS));
            }
            if (digits.length() == 12) {
                return Optional.of(LocalDateTime.parse(digits, TWELVE_DIGITS));
            }
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The value is {@code text[from, to)} trimmed as String.trim() trims; structured fields keep
     * their first token. Indices, not substrings of substrings: one String per field.
     */
    private static void assign(ParsedReceipt receipt, Field field, String text, int from, int to) {
        while (from < to && text.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) <= ' ') {
            to--;
        }
        if (field == Field.TEXT) {
            receipt.text = text.substring(from, to);
            return;
        }
        // Structured fields never contain spaces; anything after the first token is noise.
        int space = from;
        while (space < to && !isSpace(text.charAt(space))) {
            space++;
        }
        String token = text.substring(from, space);
        switch (field) {
            case ID: receipt.id = token; break;
            case SUB: receipt.sub = token; break;
            case DLVRD: receipt.dlvrd = token; break;
            case SUBMIT_DATE: receipt.submitDate = token; break;
            case DONE_DATE: receipt.doneDate = token; break;
            case STAT: receipt.stat = token; break;
            case ERR: receipt.err = token; break;
            default: break;
        }
    }
}
