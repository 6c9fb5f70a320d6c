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

    /**
     * Every default and extension character is below U+0400 except the euro sign, so a table
     * over that range answers the per-character lookups of encoding (several per character,
     * thousands of characters per second per channel) without scanning the alphabet.
     */
    private static final int TABLE_SIZE = 0x400;
    private static final byte[] BASIC_SEPTET = new byte[TABLE_SIZE];
    private static final byte[] EXTENSION_SEPTET = new byte[TABLE_SIZE];
    private static final int EURO = '€';
    private static final int EURO_SEPTET = 0x65;

    static {
        java.util.Arrays.fill(BASIC_SEPTET, (byte) -1);
        java.util.Arrays.fill(EXTENSION_SEPTET, (byte) -1);
        for (int septet = BASIC.length() - 1; septet >= 0; septet--) { // indexOf semantics: first wins
            char c = BASIC.charAt(septet);
            if (septet != ESCAPE) {
                BASIC_SEPTET[c] = (byte) septet;
            }
        }
        for (int i = EXTENSION.length - 1; i >= 0; i--) {
            int[] entry = EXTENSION[i];
            if (entry[1] < TABLE_SIZE) {
                EXTENSION_SEPTET[entry[1]] = (byte) entry[0];
            }
        }
    }

    private GsmAlphabet() {
    }

    /** Septet for a default-alphabet character, or -1 when it is not in the default table. */
    static int septetOf(int codePoint) {
        if (codePoint < 0 || codePoint >= TABLE_SIZE) {
            return -1;
        }
        return BASIC_SEPTET[codePoint];
    }

    /** Septet (to follow ESC) for an extension character, or -1 when it has none. */
    static int extensionSeptetOf(int codePoint) {
        if (codePoint >= 0 && codePoint < TABLE_SIZE) {
            return EXTENSION_SEPTET[codePoint];
        }
        return codePoint == EURO ? EURO_SEPTET : -1;
    }

    /** The table-free lookups the tables are built from (tests compare the two). */
    static int scanSeptetOf(int codePoint) {
        if (codePoint == ESCAPE || codePoint > 0xFFFF) {
            return -1;
        }
        return BASIC.indexOf(codePoint);
    }

    static int scanExtensionSeptetOf(int codePoint) {
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
