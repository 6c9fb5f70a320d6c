package org.qingfeng.sms.receipt;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the SMPP 3.4 appendix B receipt text
 * {@code id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…}.
 * Real SMSCs reorder fields, change case, drop fields and add spaces, so this is lenient.
 * It is the fallback when the receipted_message_id / message_state TLVs are absent.
 */
public final class DeliveryReceiptText {

    private enum Field { ID, SUB, DLVRD, SUBMIT_DATE, DONE_DATE, STAT, ERR, TEXT }

    /** A field name not glued to a preceding letter/digit, then a colon. */
    private static final Pattern KEY = Pattern.compile(
            "(?<![A-Za-z0-9_])(id|sub|dlvrd|submit[ _]*date|done[ _]*date|stat|err|text)\\s*:\\s*",
            Pattern.CASE_INSENSITIVE);

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
        Set<Field> seen = EnumSet.noneOf(Field.class);
        Matcher matcher = KEY.matcher(text);
        Field current = null;
        int valueStart = 0;
        while (matcher.find()) {
            Field field = fieldOf(matcher.group(1));
            // A repeated key is content (e.g. "stat:" inside the free text), not a new field.
            if (seen.contains(field)) {
                continue;
            }
            if (current != null) {
                assign(receipt, current, text.substring(valueStart, matcher.start()));
            }
            seen.add(field);
            current = field;
            valueStart = matcher.end();
        }
        if (current != null) {
            assign(receipt, current, text.substring(valueStart));
        }
        if (receipt.id == null && receipt.stat == null) {
            return Optional.empty();
        }
        return Optional.of(receipt);
    }

    /** Reads a YYMMDDhhmm or YYMMDDhhmmss receipt date (years 2000-2099); empty when malformed. */
    public static Optional<LocalDateTime> parseDate(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String digits = raw.trim();
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

    private static Field fieldOf(String key) {
        String normalized = key.toLowerCase(Locale.ROOT).replaceAll("[ _]", "");
        switch (normalized) {
            case "id": return Field.ID;
            case "sub": return Field.SUB;
            case "dlvrd": return Field.DLVRD;
            case "submitdate": return Field.SUBMIT_DATE;
            case "donedate": return Field.DONE_DATE;
            case "stat": return Field.STAT;
            case "err": return Field.ERR;
            default: return Field.TEXT;
        }
    }

    private static void assign(ParsedReceipt receipt, Field field, String rawValue) {
        String value = rawValue.trim();
        if (field == Field.TEXT) {
            receipt.text = value;
            return;
        }
        // Structured fields never contain spaces; anything after the first token is noise.
        String token = value.isEmpty() ? "" : value.split("\\s+", 2)[0];
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
