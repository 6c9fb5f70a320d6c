package org.qingfeng.sms.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SmscIdNormalizerTest {

    @Test
    void hexToDecimal() {
        SmscIdNormalizer n = SmscIdNormalizer.parse("hex-to-decimal");
        assertThat(n.normalize("0A1B2C")).isEqualTo("662316");
        assertThat(n.normalize(" 0a1b2c ")).isEqualTo("662316");
        // Longer than a long: BigInteger keeps it exact.
        assertThat(n.normalize("FFFFFFFFFFFFFFFFFF")).isEqualTo("4722366482869645213695");
    }

    @Test
    void decimalToHexWithCase() {
        assertThat(SmscIdNormalizer.parse("decimal-to-hex").normalize("662316")).isEqualTo("a1b2c");
        assertThat(SmscIdNormalizer.parse("decimal-to-hex,upper").normalize("000662316")).isEqualTo("A1B2C");
        assertThat(SmscIdNormalizer.parse("DECIMAL_TO_HEX , Upper").normalize("255")).isEqualTo("FF");
    }

    @Test
    void invalidDigitsComeBackTrimmedAndCaseFolded() {
        assertThat(SmscIdNormalizer.parse("hex-to-decimal").normalize(" XYZ-1 ")).isEqualTo("xyz-1");
        assertThat(SmscIdNormalizer.parse("decimal-to-hex,upper").normalize("abc")).isEqualTo("ABC");
        assertThat(SmscIdNormalizer.parse("hex-to-decimal").normalize("")).isEqualTo("");
        assertThat(SmscIdNormalizer.parse("hex-to-decimal").normalize(null)).isNull();
    }

    @Test
    void asIsFoldsCaseAndOptionallyStripsZeros() {
        assertThat(SmscIdNormalizer.parse("as-is").normalize(" 00AbC ")).isEqualTo("00abc");
        assertThat(SmscIdNormalizer.parse("as-is,upper,strip-zeros").normalize("00AbC")).isEqualTo("ABC");
        assertThat(SmscIdNormalizer.parse("as-is,strip-zeros").normalize("0000")).isEqualTo("0");
        assertThat(new SmscIdNormalizer(SmscIdNormalizer.Mode.AS_IS, false, true).normalize("007")).isEqualTo("7");
        assertThat(SmscIdNormalizer.parse(null).mode()).isEqualTo(SmscIdNormalizer.Mode.AS_IS);
    }

    @Test
    void hexAndDecimalIdsMatchAfterNormalization() {
        SmscIdNormalizer receiptSide = SmscIdNormalizer.parse("hex-to-decimal");
        SmscIdNormalizer respSide = SmscIdNormalizer.parse("as-is,strip-zeros");
        assertThat(receiptSide.normalize("0A1B2C")).isEqualTo(respSide.normalize("0662316"));
    }

    @Test
    void unknownSpecIsRejected() {
        assertThatThrownBy(() -> SmscIdNormalizer.parse("hex-to-octal"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hex-to-octal");
    }
}
