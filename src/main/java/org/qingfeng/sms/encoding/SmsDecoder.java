package org.qingfeng.sms.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes SMPP short_message bytes back into text: used for MO messages, receipts and by the
 * SMSC simulator to check what the encoder sent.
 */
public final class SmsDecoder {

    /** esm_class bit saying short_message starts with a User Data Header. */
    public static final int ESM_CLASS_UDHI = 0x40;

    private static final int IE_CONCAT_8BIT = 0x00;
    private static final int IE_CONCAT_16BIT = 0x08;

    private SmsDecoder() {
    }

    /**
     * Decodes a payload (without UDH) for an SMPP data_coding value. GSM-7 is expected
     * unpacked (one septet per octet), which is how SMPP data_coding 0 carries it.
     * Unknown data codings, including the 0xF0 message-class group, fall back to Latin-1 so
     * that nothing is ever rejected.
     */
    public static String decode(int dataCoding, byte[] payload) {
        if (payload == null || payload.length == 0) {
            return "";
        }
        switch (dataCoding & 0xFF) {
            case 0x00:
                return decodeGsm7(payload);
            case 0x01:
                return new String(payload, StandardCharsets.US_ASCII);
            case 0x08:
                return new String(payload, StandardCharsets.UTF_16BE);
            case 0x03:
            default:
                return new String(payload, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Parses the UDH at the start of short_message. Returns null when the bytes cannot be a
     * well-formed header; callers should only ask when esm_class has UDHI set, because
     * ordinary text can occasionally look like a header.
     */
    public static Udh parseUdh(byte[] shortMessage) {
        if (shortMessage == null || shortMessage.length < 1) {
            return null;
        }
        int udhl = shortMessage[0] & 0xFF;
        int headerLength = udhl + 1;
        if (udhl == 0 || headerLength > shortMessage.length) {
            return null;
        }
        int reference = -1;
        int total = 1;
        int sequence = 1;
        int pos = 1;
        while (pos < headerLength) {
            if (pos + 2 > headerLength) {
                return null;
            }
            int iei = shortMessage[pos] & 0xFF;
            int iel = shortMessage[pos + 1] & 0xFF;
            int data = pos + 2;
            if (data + iel > headerLength) {
                return null;
            }
            if (iei == IE_CONCAT_8BIT && iel == 3) {
                reference = shortMessage[data] & 0xFF;
                total = shortMessage[data + 1] & 0xFF;
                sequence = shortMessage[data + 2] & 0xFF;
            } else if (iei == IE_CONCAT_16BIT && iel == 4) {
                reference = ((shortMessage[data] & 0xFF) << 8) | (shortMessage[data + 1] & 0xFF);
                total = shortMessage[data + 2] & 0xFF;
                sequence = shortMessage[data + 3] & 0xFF;
            }
            pos = data + iel;
        }
        return new Udh(headerLength, reference, total, sequence);
    }

    /** Decodes a whole short_message, stripping the UDH when esm_class has UDHI (0x40). */
    public static String decodeShortMessage(int dataCoding, byte esmClass, byte[] shortMessage) {
        if (shortMessage == null || shortMessage.length == 0) {
            return "";
        }
        if ((esmClass & ESM_CLASS_UDHI) == 0) {
            return decode(dataCoding, shortMessage);
        }
        // Trust UDHL even when the IEs inside are odd: it is what the sender says to skip.
        int skip = Math.min(shortMessage.length, (shortMessage[0] & 0xFF) + 1);
        return decode(dataCoding, Arrays.copyOfRange(shortMessage, skip, shortMessage.length));
    }

    /** Packs septets (one per octet, low 7 bits used) into GSM 7-bit octets, LSB first. */
    public static byte[] packSeptets(byte[] septets) {
        byte[] packed = new byte[(septets.length * 7 + 7) / 8];
        int bitPos = 0;
        for (byte septet : septets) {
            int value = septet & 0x7F;
            int index = bitPos / 8;
            int shift = bitPos % 8;
            packed[index] |= (byte) (value << shift);
            if (shift > 1) {
                packed[index + 1] |= (byte) (value >> (8 - shift));
            }
            bitPos += 7;
        }
        return packed;
    }

    /** Unpacks the first septetCount septets from GSM 7-bit packed octets. */
    public static byte[] unpackSeptets(byte[] packed, int septetCount) {
        int available = packed.length * 8 / 7;
        if (septetCount < 0 || septetCount > available) {
            throw new IllegalArgumentException(
                    "septetCount " + septetCount + " exceeds the " + available + " septets in "
                            + packed.length + " octets");
        }
        byte[] septets = new byte[septetCount];
        int bitPos = 0;
        for (int i = 0; i < septetCount; i++) {
            int index = bitPos / 8;
            int shift = bitPos % 8;
            int value = (packed[index] & 0xFF) >> shift;
            if (shift > 1) {
                value |= (packed[index + 1] & 0xFF) << (8 - shift);
            }
            septets[i] = (byte) (value & 0x7F);
            bitPos += 7;
        }
        return septets;
    }

    private static String decodeGsm7(byte[] septets) {
        StringBuilder text = new StringBuilder(septets.length);
        for (int i = 0; i < septets.length; i++) {
            int septet = septets[i] & 0x7F;
            if (septet != GsmAlphabet.ESCAPE) {
                text.append(GsmAlphabet.basicChar(septet));
                continue;
            }
            if (i + 1 >= septets.length) {
                break; // a dangling ESC carries no character
            }
            int next = septets[++i] & 0x7F;
            int extension = GsmAlphabet.extensionChar(next);
            // 23.038: an unknown extension shows the default-table character instead.
            text.append(extension >= 0 ? (char) extension : GsmAlphabet.basicChar(next));
        }
        return text.toString();
    }

    /** Joins UDH and payload into short_message; shared with the encoder. */
    static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
