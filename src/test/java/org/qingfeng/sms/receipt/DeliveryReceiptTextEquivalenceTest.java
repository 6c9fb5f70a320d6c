package org.qingfeng.sms.receipt;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receipt text scanner gives exactly what the regex it replaced gave (kept here as the
 * reference), on texts built from keys in every case and spacing, separators, digits and
 * non-ASCII letters that case-folding could confuse.
 */
class DeliveryReceiptTextEquivalenceTest {

    @Property(tries = 5_000)
    void scannerMatchesTheRegexReference(@ForAll("receiptish") String text) {
        Optional<ParsedReceipt> actual = DeliveryReceiptText.parse(text);
        Optional<ParsedReceipt> expected = RegexReference.parse(text);
        assertThat(actual.map(ParsedReceipt::toString)).isEqualTo(expected.map(ParsedReceipt::toString));
    }

    @Property(tries = 3_000)
    void datesMatchTheFormatter(@ForAll("dateish") String digits) {
        java.time.format.DateTimeFormatter formatter = java.time.format.DateTimeFormatter.ofPattern(
                digits.length() == 10 ? "uuMMddHHmm" : "uuMMddHHmmss");
        Optional<java.time.LocalDateTime> expected;
        try {
            expected = Optional.of(java.time.LocalDateTime.parse(digits, formatter));
        } catch (java.time.format.DateTimeParseException e) {
            expected = Optional.empty();
        }
        assertThat(DeliveryReceiptText.parseDate(digits)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> dateish() {
        Arbitrary<String> two = Arbitraries.integers().between(0, 99).map(i -> String.format("%02d", i));
        Arbitrary<String> plausible = Arbitraries.integers().between(0, 32).map(i -> String.format("%02d", i));
        return net.jqwik.api.Combinators.combine(two, plausible, plausible, plausible, two, two, Arbitraries.of(true, false))
                .as((y, mo, d, h, mi, s, twelve) -> y + mo + d + h + mi + (twelve ? s : ""));
    }

    @Provide
    Arbitrary<String> receiptish() {
        Arbitrary<String> piece = Arbitraries.of("id", "ID", "Id", "sub", "SUB", "dlvrd", "DlVrD", "submit", "Submit",
                "done", "DONE", "date", "Date", "stat", "STAT", "err", "Err", "text", "TEXT", ":", ":", ":", " ", " ",
                "  ", "_", "__", "\t", "\r\n", "\u000B", "\f", "\u00A0", "0", "1", "2602011200", "DELIVRD", "UNDELIV",
                "x", "a9", "退订", "\u0130", "\u017F", "\u212A", "\u0131", "-", ".", "\u0001");
        return piece.list().ofMaxSize(30).map(list -> String.join("", list));
    }

    /** The regex implementation the scanner replaced, verbatim in behaviour. */
    private static final class RegexReference {
        private enum Field { ID, SUB, DLVRD, SUBMIT_DATE, DONE_DATE, STAT, ERR, TEXT }

        private static final Pattern KEY = Pattern.compile(
                "(?<![A-Za-z0-9_])(id|sub|dlvrd|submit[ _]*date|done[ _]*date|stat|err|text)\\s*:\\s*",
                Pattern.CASE_INSENSITIVE);

        static Optional<ParsedReceipt> parse(String text) {
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

        private static Field fieldOf(String key) {
            switch (key.toLowerCase(Locale.ROOT).replaceAll("[ _]", "")) {
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
}
