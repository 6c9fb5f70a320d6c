package org.qingfeng.sms.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SmsEncoderPropertyTest {

    /** Typed out independently of GsmAlphabet so the encoding choice is checked, not mirrored. */
    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./"
            + "0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    @Property(tries = 500)
    void partsDecodeBackToTheOriginal(@ForAll("texts") String text, @ForAll boolean wideRef) throws Exception {
        EncodedSms sms = new SmsEncoder(255, wideRef).encode(text, 42);
        StringBuilder joined = new StringBuilder();
        for (SmsPart part : sms.partList()) {
            assertThat(SmsDecoder.decode(sms.encoding().dataCoding(), part.payload())).isEqualTo(part.text());
            byte esmClass = (byte) (part.udh() == null ? 0 : 0x40);
            assertThat(SmsDecoder.decodeShortMessage(sms.encoding().dataCoding(), esmClass, part.shortMessage()))
                    .isEqualTo(part.text());
            joined.append(part.text());
        }
        assertThat(joined.toString()).isEqualTo(text);
        assertThat(sms.characters()).isEqualTo(text.codePointCount(0, text.length()));
    }

    @Property(tries = 500)
    void everyPartFitsTheAirInterface(@ForAll("texts") String text, @ForAll boolean wideRef) throws Exception {
        EncodedSms sms = new SmsEncoder(255, wideRef).encode(text, 7);
        for (SmsPart part : sms.partList()) {
            assertThat(part.airOctets()).isLessThanOrEqualTo(140);
            assertThat(part.index()).isBetween(1, sms.parts());
            assertThat(part.total()).isEqualTo(sms.parts());
            if (sms.parts() > 1) {
                Udh udh = SmsDecoder.parseUdh(part.shortMessage());
                assertThat(udh.sequence()).isEqualTo(part.index());
                assertThat(udh.total()).isEqualTo(sms.parts());
                assertThat(udh.reference()).isEqualTo(7);
            }
        }
    }

    @Property(tries = 500)
    void gsm7ExactlyWhenEveryCharacterIsInTheGsmTables(@ForAll("texts") String text) throws Exception {
        boolean allGsm = text.chars().allMatch(c -> GSM_BASIC.indexOf(c) >= 0 || GSM_EXTENSION.indexOf(c) >= 0);
        SmsEncoding expected = allGsm ? SmsEncoding.GSM7 : SmsEncoding.UCS2;
        assertThat(new SmsEncoder(255, false).encode(text, 1).encoding()).isEqualTo(expected);
    }

    @Property(tries = 500)
    void partCountIsMinimal(@ForAll("texts") String text, @ForAll boolean wideRef) throws Exception {
        EncodedSms sms = new SmsEncoder(255, wideRef).encode(text, 1);
        boolean gsm = sms.encoding() == SmsEncoding.GSM7;
        int total = units(text, gsm);
        int singleLimit = gsm ? 160 : 70;
        if (total <= singleLimit) {
            assertThat(sms.parts()).isEqualTo(1);
            return;
        }
        int partLimit = gsm ? (wideRef ? 152 : 153) : (wideRef ? 66 : 67);
        List<SmsPart> parts = sms.partList();
        for (int i = 0; i < parts.size(); i++) {
            int used = units(parts.get(i).text(), gsm);
            assertThat(used).isLessThanOrEqualTo(partLimit);
            if (i + 1 < parts.size()) {
                // A non-final part is full: the next character could not have fitted, so
                // filling greedily like this uses the fewest parts possible.
                String next = parts.get(i + 1).text();
                String firstOfNext = new String(Character.toChars(next.codePointAt(0)));
                assertThat(used + units(firstOfNext, gsm)).isGreaterThan(partLimit);
            }
        }
    }

    @Property(tries = 1000)
    void aLoneSurrogateIsRefusedNamingItNeverSentAsAGarbledPart(@ForAll("texts") String text, @ForAll("loneSurrogates") char lone,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 1000) int at) {
        int i = Math.min(at, text.length());
        // Never inside a pair, and never next to a half it could pair with.
        while (i > 0 && i < text.length() && Character.isLowSurrogate(text.charAt(i))) {
            i--;
        }
        String broken = text.substring(0, i) + lone + text.substring(i);
        org.assertj.core.api.Assumptions.assumeThat(wellFormed(broken)).isFalse();
        for (SmsEncoder encoder : List.of(new SmsEncoder(255, false), new SmsEncoder(1, true))) {
            SmsTextException refused = org.junit.jupiter.api.Assertions.assertThrows(SmsTextException.class, () -> encoder.encode(broken, 9));
            assertThat(refused.code()).isEqualTo(SmsTextException.Code.INVALID_TEXT);
            assertThat(refused.getMessage()).contains(String.format("U+%04X", (int) lone));
        }
    }

    /** Any string at all: encoded so that the parts join back to it, or refused for a reason that is true of it. */
    @Property(tries = 3000)
    void anyStringIsEncodedWholeOrRefusedForATrueReason(@ForAll("anyStrings") String text,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 6) int maxParts) {
        try {
            EncodedSms sms = new SmsEncoder(maxParts, false).encode(text, 3);
            assertThat(wellFormed(text)).isTrue();
            assertThat(sms.parts()).isBetween(1, maxParts);
            StringBuilder joined = new StringBuilder();
            for (SmsPart part : sms.partList()) {
                assertThat(wellFormed(part.text())).as("a part never holds half a pair").isTrue();
                assertThat(SmsDecoder.decode(sms.encoding().dataCoding(), part.payload())).isEqualTo(part.text());
                joined.append(part.text());
            }
            assertThat(joined.toString()).isEqualTo(text);
        } catch (SmsTextException e) {
            switch (e.code()) {
                case EMPTY -> assertThat(text).isEmpty();
                case INVALID_TEXT -> assertThat(wellFormed(text)).isFalse();
                case TOO_LONG -> assertThat(wellFormed(text)).isTrue();
                default -> throw new AssertionError("unexpected refusal " + e.code() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Remembering texts changes nothing but the cost: texts drawn from a small pool (so they
     * repeat, and many share a slot), each with its own reference, come out exactly as the plain
     * encoder makes them, refusals included.
     */
    @Property(tries = 300)
    void rememberedTextsEncodeExactlyAsTheEncoder(@ForAll("textPools") List<String> pool, @ForAll boolean wideRef,
            @ForAll @net.jqwik.api.constraints.Size(min = 1, max = 60) List<@net.jqwik.api.constraints.IntRange(min = 0, max = 1_000_000) Integer> picks) {
        SmsEncoder plain = new SmsEncoder(4, wideRef);
        RecentTextsEncoder remembering = new RecentTextsEncoder(plain);
        for (int pick : picks) {
            String text = new String(pool.get(pick % pool.size())); // an equal text, not the same object
            int reference = pick / pool.size();
            EncodedSms expected;
            try {
                expected = plain.encode(text, reference);
            } catch (SmsTextException e) {
                SmsTextException refused = org.junit.jupiter.api.Assertions.assertThrows(SmsTextException.class,
                        () -> remembering.encode(text, reference));
                assertThat(refused.code()).isEqualTo(e.code());
                continue;
            }
            EncodedSms actual;
            try {
                actual = remembering.encode(text, reference);
            } catch (SmsTextException e) {
                throw new AssertionError("refused a text the encoder accepts: " + e.getMessage());
            }
            assertThat(actual.encoding()).isEqualTo(expected.encoding());
            assertThat(actual.characters()).isEqualTo(expected.characters());
            assertThat(actual.referenceNumber()).isEqualTo(expected.referenceNumber());
            assertThat(actual.parts()).isEqualTo(expected.parts());
            for (int i = 0; i < expected.parts(); i++) {
                SmsPart want = expected.partList().get(i);
                SmsPart got = actual.partList().get(i);
                assertThat(got.index()).isEqualTo(want.index());
                assertThat(got.total()).isEqualTo(want.total());
                assertThat(got.text()).isEqualTo(want.text());
                assertThat(got.udh()).isEqualTo(want.udh());
                assertThat(got.payload()).isEqualTo(want.payload());
                assertThat(got.shortMessage()).isEqualTo(want.shortMessage());
                assertThat(got.airOctets()).isEqualTo(want.airOctets());
            }
        }
    }

    @Provide
    Arbitrary<List<String>> textPools() {
        return Arbitraries.oneOf(texts(), Arbitraries.just(""), Arbitraries.just("a\uD800b"))
                .list().ofMinSize(1).ofMaxSize(RecentTextsEncoder.SLOTS * 2);
    }

    /** UTF-16 well-formedness, checked here independently of the encoder's own check. */
    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    @Provide
    Arbitrary<Character> loneSurrogates() {
        return Arbitraries.chars().range('\uD800', '\uDFFF');
    }

    @Provide
    Arbitrary<String> anyStrings() {
        Arbitrary<String> units = Arbitraries.strings().ofMaxLength(400);
        Arbitrary<String> surrogateHeavy = Arbitraries.strings().withCharRange('\uD7F0', '\uE010').withChars("a中€").ofMaxLength(200);
        return Arbitraries.oneOf(units, surrogateHeavy, texts());
    }

    /** Septets (GSM) or UTF-16 code units (UCS-2) a text occupies. */
    private static int units(String text, boolean gsm) {
        if (!gsm) {
            return text.length();
        }
        return text.chars().map(c -> GSM_EXTENSION.indexOf(c) >= 0 ? 2 : 1).sum();
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> gsmBasic = Arbitraries.of(codePoints(GSM_BASIC));
        Arbitrary<String> gsmExtension = Arbitraries.of(codePoints(GSM_EXTENSION));
        Arbitrary<String> chinese = Arbitraries.chars().range('\u4E00', '\u9FFF').map(String::valueOf);
        Arbitrary<String> chinesePunctuation = Arbitraries.of("，", "。", "【", "】", "！", "、", "“", "”");
        Arbitrary<String> emoji = Arbitraries.integers().between(0x1F300, 0x1FAFF)
                .map(cp -> new String(Character.toChars(cp)));
        Arbitrary<String> anyCodePoint = Arbitraries.integers().between(1, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .map(cp -> new String(Character.toChars(cp)));
        Arbitrary<String> mixedChar = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, gsmBasic), net.jqwik.api.Tuple.of(3, gsmExtension),
                net.jqwik.api.Tuple.of(3, chinese), net.jqwik.api.Tuple.of(1, chinesePunctuation),
                net.jqwik.api.Tuple.of(1, emoji), net.jqwik.api.Tuple.of(1, anyCodePoint));
        Arbitrary<String> gsmOnlyChar = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, gsmBasic), net.jqwik.api.Tuple.of(2, gsmExtension));
        Arbitrary<String> mixed = mixedChar.list().ofMinSize(1).ofMaxSize(400).map(l -> String.join("", l));
        Arbitrary<String> gsmOnly = gsmOnlyChar.list().ofMinSize(1).ofMaxSize(500).map(l -> String.join("", l));
        Arbitrary<String> ucs2Only = Arbitraries.oneOf(chinese, emoji, chinesePunctuation)
                .list().ofMinSize(1).ofMaxSize(200).map(l -> String.join("", l));
        return Arbitraries.oneOf(mixed, gsmOnly, ucs2Only);
    }

    private static List<String> codePoints(String chars) {
        return chars.codePoints().mapToObj(cp -> new String(Character.toChars(cp))).toList();
    }
}
