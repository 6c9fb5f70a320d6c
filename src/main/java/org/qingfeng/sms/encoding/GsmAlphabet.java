package org.qingfeng.sms.encoding;

/**
 * The GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table.
 *
 * <p>Package-private: the encoder and decoder share these tables so that what one writes the
 * other reads back exactly.
 */
final class GsmAlphabet {

    /** The escape septet that switches the next septet to the extension table. */
    static final int ESCAPE = 0x1B;

    /**
     * Default alphabet indexed by septet value. Position 0x1B is the escape code, not a
     * character; it holds a placeholder that {@link #septetOf} never reports.
     */
    private static final String BASIC =
            "@£$¥èéùìòÇ\nØø\rÅå"
            + "Δ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ"
            + " !\"#¤%&'()*+,-./"
            + "0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNO"
            + "PQRSTUVWXYZÄÖÑÜ§"
            + "¿abcdefghijklmno"
            + "pqrstuvwxyzäöñüà";

    /** Extension table: septet value after ESC, and the character it stands for. */
    private static final int[][] EXTENSION = {
        {0x0A, '\f'}, {0x14, '^'}, {0x28, '{'}, {0x29, '}'}, {0x2F, '\\'},
        {0x3C, '['}, {0x3D, '~'}, {0x3E, ']'}, {0x40, '|'}, {0x65, '€'},
    };

    private GsmAlphabet() {
    }

    /** Septet for a default-alphabet character, or -1 when it is not in the default table. */
    static int septetOf(int codePoint) {
        if (codePoint == ESCAPE || codePoint > 0xFFFF) {
            return -1;
        }
        return BASIC.indexOf(codePoint);
    }

    /** Septet (to follow ESC) for an extension character, or -1 when it has none. */
    static int extensionSeptetOf(int codePoint) {
        for (int[] entry : EXTENSION) {
            if (entry[1] == codePoint) {
                return entry[0];
            }
        }
        return -1;
    }

    /** Septets this code point costs in GSM-7: 1, 2 (ESC + char), or -1 when not encodable. */
    static int septetCost(int codePoint) {
        if (septetOf(codePoint) >= 0) {
            return 1;
        }
        return extensionSeptetOf(codePoint) >= 0 ? 2 : -1;
    }

    static char basicChar(int septet) {
        return BASIC.charAt(septet & 0x7F);
    }

    /** Extension character for the septet after ESC, or -1 when the table has no entry. */
    static int extensionChar(int septet) {
        for (int[] entry : EXTENSION) {
            if (entry[0] == (septet & 0x7F)) {
                return entry[1];
            }
        }
        return -1;
    }
}
