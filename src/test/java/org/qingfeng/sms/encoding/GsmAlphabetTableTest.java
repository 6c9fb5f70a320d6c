package org.qingfeng.sms.encoding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The lookup tables answer exactly what scanning the alphabet answers, for every code point. */
class GsmAlphabetTableTest {

    @Test
    void tablesAgreeWithTheAlphabetForEveryCodePoint() {
        for (int cp = -1; cp <= Character.MAX_CODE_POINT; cp++) {
            if (GsmAlphabet.septetOf(cp) != GsmAlphabet.scanSeptetOf(cp)
                    || GsmAlphabet.extensionSeptetOf(cp) != GsmAlphabet.scanExtensionSeptetOf(cp)) {
                assertThat(GsmAlphabet.septetOf(cp)).as("septet of U+%04X", cp).isEqualTo(GsmAlphabet.scanSeptetOf(cp));
                assertThat(GsmAlphabet.extensionSeptetOf(cp)).as("extension septet of U+%04X", cp)
                        .isEqualTo(GsmAlphabet.scanExtensionSeptetOf(cp));
            }
        }
        assertThat(GsmAlphabet.septetOf('@')).isZero();
        assertThat(GsmAlphabet.septetOf(0x1B)).isEqualTo(-1);
        assertThat(GsmAlphabet.extensionSeptetOf('€')).isEqualTo(0x65);
    }
}
