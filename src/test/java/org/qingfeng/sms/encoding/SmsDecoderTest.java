package org.qingfeng.sms.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmsDecoderTest {

    @Test
    void decodesUnpackedGsm7WithExtensionTable() {
        byte[] septets = {0x48, 0x69, 0x1B, 0x65, 0x00, 0x1B, 0x28, 0x1B, 0x29, 0x0A};
        assertThat(SmsDecoder.decode(0, septets)).isEqualTo("Hi€@{}\n");
    }

    @Test
    void unknownExtensionFallsBackToDefaultTableAndDanglingEscapeIsDropped() {
        assertThat(SmsDecoder.decode(0, new byte[] {0x1B, 0x41, 0x42, 0x1B})).isEqualTo("AB");
    }

    @Test
    void decodesAsciiLatin1AndUcs2() {
        assertThat(SmsDecoder.decode(1, "abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo("abc");
        assertThat(SmsDecoder.decode(3, new byte[] {(byte) 0xE9})).isEqualTo("é");
        assertThat(SmsDecoder.decode(8, "余庆😀".getBytes(StandardCharsets.UTF_16BE))).isEqualTo("余庆😀");
        assertThat(SmsDecoder.decode(0xF1, new byte[] {(byte) 0xE9})).isEqualTo("é");
        assertThat(SmsDecoder.decode(0, null)).isEmpty();
    }

    @Test
    void parsesEightBitReferenceUdh() {
        byte[] sm = {0x05, 0x00, 0x03, (byte) 0xAB, 0x03, 0x02, 0x41};
        Udh udh = SmsDecoder.parseUdh(sm);
        assertThat(udh).isNotNull();
        assertThat(udh.headerLength()).isEqualTo(6);
        assertThat(udh.reference()).isEqualTo(0xAB);
        assertThat(udh.total()).isEqualTo(3);
        assertThat(udh.sequence()).isEqualTo(2);
    }

    @Test
    void parsesSixteenBitReferenceUdhAmongOtherElements() {
        // Port addressing IE (0x05, 4 octets) first, then the 16-bit concatenation IE.
        byte[] sm = {0x0C, 0x05, 0x04, 0x0B, (byte) 0x84, 0x23, (byte) 0xF0,
                     0x08, 0x04, 0x12, 0x34, 0x04, 0x01, 0x41};
        Udh udh = SmsDecoder.parseUdh(sm);
        assertThat(udh.headerLength()).isEqualTo(13);
        assertThat(udh.reference()).isEqualTo(0x1234);
        assertThat(udh.total()).isEqualTo(4);
        assertThat(udh.sequence()).isEqualTo(1);
    }

    @Test
    void malformedOrMissingUdhIsNull() {
        assertThat(SmsDecoder.parseUdh(null)).isNull();
        assertThat(SmsDecoder.parseUdh(new byte[0])).isNull();
        assertThat(SmsDecoder.parseUdh("Hello".getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(SmsDecoder.parseUdh(new byte[] {0x05, 0x00, 0x04, 0x01, 0x02, 0x03})).isNull();
    }

    @Test
    void decodeShortMessageStripsUdhOnlyWithUdhi() {
        byte[] sm = {0x05, 0x00, 0x03, 0x01, 0x02, 0x01, 0x4E, 0x2D};
        assertThat(SmsDecoder.decodeShortMessage(8, (byte) 0x40, sm)).isEqualTo("中");
        byte[] plain = {0x48, 0x69};
        assertThat(SmsDecoder.decodeShortMessage(0, (byte) 0x00, plain)).isEqualTo("Hi");
    }

    @Test
    void packsAndUnpacksSeptets() {
        // "hellohello" is the classic 23.038 packing example: E8329BFD4697D9EC37
        byte[] septets = "hellohello".getBytes(StandardCharsets.US_ASCII);
        byte[] packed = SmsDecoder.packSeptets(septets);
        assertThat(packed).containsExactly(0xE8, 0x32, 0x9B, 0xFD, 0x46, 0x97, 0xD9, 0xEC, 0x37);
        assertThat(SmsDecoder.unpackSeptets(packed, septets.length)).isEqualTo(septets);
    }

    @Test
    void eightSeptetsFillSevenOctetsExactly() {
        byte[] septets = {0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F};
        byte[] packed = SmsDecoder.packSeptets(septets);
        assertThat(packed).hasSize(7).containsOnly(0xFF);
        assertThat(SmsDecoder.unpackSeptets(packed, 8)).isEqualTo(septets);
    }
}
