package org.qingfeng.sms.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmsEncoderTest {

    private final SmsEncoder encoder = new SmsEncoder(10, false);

    @Test
    void chineseSignatureMakesUcs2() throws Exception {
        EncodedSms sms = encoder.encode("【余庆县纪委】", 1);
        assertThat(sms.encoding()).isEqualTo(SmsEncoding.UCS2);
        assertThat(sms.encoding().dataCoding()).isEqualTo(8);
        assertThat(sms.characters()).isEqualTo(7);
        assertThat(sms.parts()).isEqualTo(1);
        SmsPart part = sms.partList().get(0);
        assertThat(part.udh()).isNull();
        assertThat(part.payload()).isEqualTo("【余庆县纪委】".getBytes(StandardCharsets.UTF_16BE));
        assertThat(part.shortMessage()).isEqualTo(part.payload());
        assertThat(part.airOctets()).isEqualTo(14);
    }

    @Test
    void oneChineseCommaMakesTheWholeTextUcs2() throws Exception {
        assertThat(encoder.encode("Happy new year, all", 1).encoding()).isEqualTo(SmsEncoding.GSM7);
        assertThat(encoder.encode("Happy new year， all", 1).encoding()).isEqualTo(SmsEncoding.UCS2);
    }

    @Test
    void euroCostsTwoSeptets() throws Exception {
        SmsPart part = encoder.encode("€", 1).partList().get(0);
        assertThat(part.payload()).containsExactly(0x1B, 0x65);
        assertThat(part.airOctets()).isEqualTo(2);
        // 80 euros = 160 septets: still one part; one more septet needs two.
        assertThat(encoder.encode("€".repeat(80), 1).parts()).isEqualTo(1);
        assertThat(encoder.encode("€".repeat(80) + "a", 1).parts()).isEqualTo(2);
    }

    @Test
    void gsmPartBoundaries() throws Exception {
        assertThat(encoder.encode("a".repeat(160), 1).parts()).isEqualTo(1);
        assertThat(encoder.encode("a".repeat(161), 1).parts()).isEqualTo(2);
        assertThat(encoder.encode("a".repeat(306), 1).parts()).isEqualTo(2);
        assertThat(encoder.encode("a".repeat(307), 1).parts()).isEqualTo(3);
        EncodedSms sms = encoder.encode("a".repeat(306), 1);
        assertThat(sms.partList()).allSatisfy(p -> assertThat(p.airOctets()).isEqualTo(140));
    }

    @Test
    void ucs2PartBoundaries() throws Exception {
        assertThat(encoder.encode("中".repeat(70), 1).parts()).isEqualTo(1);
        assertThat(encoder.encode("中".repeat(71), 1).parts()).isEqualTo(2);
        assertThat(encoder.encode("中".repeat(134), 1).parts()).isEqualTo(2);
        assertThat(encoder.encode("中".repeat(135), 1).parts()).isEqualTo(3);
    }

    @Test
    void escapeSequenceMovesWholeToNextPart() throws Exception {
        // 152 'a' + '€' = 154 septets: the ESC would be septet 153, so '€' goes to part 2 intact.
        EncodedSms sms = encoder.encode("a".repeat(152) + "€" + "b".repeat(10), 1);
        assertThat(sms.parts()).isEqualTo(2);
        assertThat(sms.partList().get(0).text()).isEqualTo("a".repeat(152));
        assertThat(sms.partList().get(1).text()).startsWith("€");
    }

    @Test
    void surrogatePairMovesWholeToNextPart() throws Exception {
        EncodedSms sms = encoder.encode("中".repeat(66) + "😀" + "中".repeat(3), 1);
        assertThat(sms.parts()).isEqualTo(2);
        assertThat(sms.partList().get(0).text()).isEqualTo("中".repeat(66));
        assertThat(sms.partList().get(1).text()).isEqualTo("😀中中中");
        assertThat(sms.characters()).isEqualTo(70);
    }

    @Test
    void eightBitReferenceUdh() throws Exception {
        EncodedSms sms = encoder.encode("中".repeat(71), 0x1AB);
        assertThat(sms.referenceNumber()).isEqualTo(0xAB);
        SmsPart second = sms.partList().get(1);
        assertThat(second.index()).isEqualTo(2);
        assertThat(second.total()).isEqualTo(2);
        assertThat(second.udh()).containsExactly(0x05, 0x00, 0x03, 0xAB, 0x02, 0x02);
        assertThat(sms.partList().get(0).airOctets()).isEqualTo(140);
    }

    @Test
    void sixteenBitReferenceUdh() throws Exception {
        SmsEncoder wide = new SmsEncoder(10, true);
        EncodedSms sms = wide.encode("a".repeat(305), 0x1234);
        assertThat(sms.parts()).isEqualTo(3); // 152 + 152 + 1
        SmsPart first = sms.partList().get(0);
        assertThat(first.udh()).containsExactly(0x06, 0x08, 0x04, 0x12, 0x34, 0x03, 0x01);
        assertThat(first.payload()).hasSize(152);
        assertThat(first.airOctets()).isEqualTo(140);
        Udh udh = SmsDecoder.parseUdh(first.shortMessage());
        assertThat(udh.reference()).isEqualTo(0x1234);
        assertThat(udh.headerLength()).isEqualTo(7);
        assertThat(SmsDecoder.decodeShortMessage(0, (byte) 0x40, first.shortMessage()))
                .isEqualTo("a".repeat(152));
        assertThat(wide.encode("中".repeat(71), 1).partList().get(0).payload()).hasSize(132);
    }

    @Test
    void tooLongNamesPartsNeededAndLimit() {
        assertThatThrownBy(() -> new SmsEncoder(3, false).encode("a".repeat(153 * 3 + 1), 1))
                .isInstanceOf(SmsTextException.class)
                .hasMessageContaining("4 parts")
                .hasMessageContaining("limit is 3")
                .extracting(e -> ((SmsTextException) e).code())
                .isEqualTo(SmsTextException.Code.TOO_LONG);
    }

    @Test
    void emptyTextIsRejected() {
        assertThatThrownBy(() -> encoder.encode("", 1))
                .extracting(e -> ((SmsTextException) e).code()).isEqualTo(SmsTextException.Code.EMPTY);
        assertThatThrownBy(() -> encoder.encode(null, 1))
                .extracting(e -> ((SmsTextException) e).code()).isEqualTo(SmsTextException.Code.EMPTY);
    }

    @Test
    void unpairedSurrogateIsInvalidAndNamesIndex() {
        assertThatThrownBy(() -> encoder.encode("ab\uD83D", 1))
                .hasMessageContaining("index 2")
                .extracting(e -> ((SmsTextException) e).code())
                .isEqualTo(SmsTextException.Code.INVALID_TEXT);
        assertThatThrownBy(() -> encoder.encode("\uDE00x", 1))
                .hasMessageContaining("index 0")
                .extracting(e -> ((SmsTextException) e).code())
                .isEqualTo(SmsTextException.Code.INVALID_TEXT);
    }

    @Test
    void gsmPayloadIsUnpackedSeptets() throws Exception {
        SmsPart part = encoder.encode("@Hi{", 1).partList().get(0);
        assertThat(part.payload()).containsExactly(0x00, 0x48, 0x69, 0x1B, 0x28);
        assertThat(part.airOctets()).isEqualTo(5); // 5 septets = 35 bits
    }
}
