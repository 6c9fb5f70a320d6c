package org.qingfeng.sms.encoding;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses GSM-7 or UCS-2 for a text and splits it into parts that each fit 140 air octets.
 * Never truncates: a text needing more than {@code maxParts} parts is rejected.
 */
public final class SmsEncoder {

    public static final int DEFAULT_MAX_PARTS = 10;

    private static final int SINGLE_GSM7_SEPTETS = 160;
    private static final int SINGLE_UCS2_UNITS = 70;
    private static final int MAX_AIR_OCTETS = 140;

    private final int maxParts;
    private final boolean sixteenBitReference;

    public SmsEncoder() {
        this(DEFAULT_MAX_PARTS, false);
    }

    public SmsEncoder(int maxParts, boolean sixteenBitReference) {
        // The UDH carries the part count in one octet.
        if (maxParts < 1 || maxParts > 255) {
            throw new IllegalArgumentException("maxParts must be 1..255, got " + maxParts);
        }
        this.maxParts = maxParts;
        this.sixteenBitReference = sixteenBitReference;
    }

    public EncodedSms encode(String text, int referenceNumber) throws SmsTextException {
        if (text == null || text.isEmpty()) {
            throw new SmsTextException(SmsTextException.Code.EMPTY, "SMS text is empty");
        }
        requireWellFormedUtf16(text);
        SmsEncoding encoding = isGsm7(text) ? SmsEncoding.GSM7 : SmsEncoding.UCS2;
        int reference = referenceNumber & (sixteenBitReference ? 0xFFFF : 0xFF);
        int characters = text.codePointCount(0, text.length());

        List<int[]> ranges = split(text, encoding);
        if (ranges.size() > maxParts) {
            throw new SmsTextException(SmsTextException.Code.TOO_LONG,
                    "SMS text needs " + ranges.size() + " parts (" + characters + " characters, "
                            + encoding + ") but the limit is " + maxParts + " parts");
        }
        int total = ranges.size();
        List<SmsPart> parts = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            String slice = text.substring(ranges.get(i)[0], ranges.get(i)[1]);
            byte[] udh = total == 1 ? null : udh(reference, total, i + 1);
            byte[] payload = encoding == SmsEncoding.GSM7
                    ? toSeptets(slice)
                    : ucs2(slice);
            parts.add(new SmsPart(i + 1, total, slice, udh, payload, airOctets(encoding, udh, payload)));
        }
        return new EncodedSms(encoding, characters, parts, reference);
    }

    /**
     * The same text as {@code encoded} (which this encoder made) under another concatenation
     * reference: only the UDH differs, the slices and payloads are shared (parts are immutable).
     */
    EncodedSms withReference(EncodedSms encoded, int referenceNumber) {
        int reference = referenceNumber & (sixteenBitReference ? 0xFFFF : 0xFF);
        List<SmsPart> template = encoded.partList();
        int total = template.size();
        if (total == 1) {
            return new EncodedSms(encoded.encoding(), encoded.characters(), template, reference);
        }
        List<SmsPart> parts = new ArrayList<>(total);
        for (SmsPart part : template) {
            parts.add(new SmsPart(part.index(), total, part.text(), udh(reference, total, part.index()),
                    part.payloadShared(), part.airOctets()));
        }
        return new EncodedSms(encoded.encoding(), encoded.characters(), parts, reference);
    }

    /** True when every code point is in the GSM 03.38 default or extension table. */
    public static boolean isGsm7(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (GsmAlphabet.septetCost(cp) < 0) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    private static void requireWellFormedUtf16(String text) throws SmsTextException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw invalid(i, c);
            }
            if (Character.isLowSurrogate(c)) {
                throw invalid(i, c);
            }
        }
    }

    private static SmsTextException invalid(int index, char c) {
        return new SmsTextException(SmsTextException.Code.INVALID_TEXT,
                String.format("SMS text has an unpaired surrogate U+%04X at index %d", (int) c, index));
    }

    /**
     * Greedy split into [start, end) char ranges. Greedy filling gives the minimal number of
     * parts, and working per code point keeps surrogate pairs and ESC+char whole.
     */
    private List<int[]> split(String text, SmsEncoding encoding) {
        int totalCost = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            totalCost += cost(text.codePointAt(i), encoding);
        }
        int singleLimit = encoding == SmsEncoding.GSM7 ? SINGLE_GSM7_SEPTETS : SINGLE_UCS2_UNITS;
        List<int[]> ranges = new ArrayList<>();
        if (totalCost <= singleLimit) {
            ranges.add(new int[] {0, text.length()});
            return ranges;
        }
        int partLimit = concatenatedLimit(encoding);
        int start = 0;
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int cost = cost(cp, encoding);
            if (used + cost > partLimit) {
                ranges.add(new int[] {start, i});
                start = i;
                used = 0;
            }
            used += cost;
            i += Character.charCount(cp);
        }
        ranges.add(new int[] {start, text.length()});
        return ranges;
    }

    private int concatenatedLimit(SmsEncoding encoding) {
        int udhOctets = sixteenBitReference ? 7 : 6;
        if (encoding == SmsEncoding.UCS2) {
            return (MAX_AIR_OCTETS - udhOctets) / 2; // 67 or 66 code units
        }
        int udhSeptets = (udhOctets * 8 + 6) / 7; // the UDH is padded to a septet boundary
        return MAX_AIR_OCTETS * 8 / 7 - udhSeptets; // 153 or 152 septets
    }

    private static int cost(int codePoint, SmsEncoding encoding) {
        return encoding == SmsEncoding.GSM7 ? GsmAlphabet.septetCost(codePoint) : Character.charCount(codePoint);
    }

    private byte[] udh(int reference, int total, int sequence) {
        if (sixteenBitReference) {
            return new byte[] {0x06, 0x08, 0x04, (byte) (reference >> 8), (byte) reference,
                               (byte) total, (byte) sequence};
        }
        return new byte[] {0x05, 0x00, 0x03, (byte) reference, (byte) total, (byte) sequence};
    }

    /**
     * UTF-16BE code units, as getBytes(UTF_16BE) gives for well-formed text (checked above),
     * without creating a charset encoder per part.
     */
    private static byte[] ucs2(String slice) {
        byte[] bytes = new byte[slice.length() * 2];
        for (int i = 0; i < slice.length(); i++) {
            char c = slice.charAt(i);
            bytes[2 * i] = (byte) (c >> 8);
            bytes[2 * i + 1] = (byte) c;
        }
        return bytes;
    }

    private static byte[] toSeptets(String slice) {
        byte[] septets = new byte[slice.length() * 2];
        int n = 0;
        for (int i = 0; i < slice.length(); ) {
            int cp = slice.codePointAt(i);
            int basic = GsmAlphabet.septetOf(cp);
            if (basic >= 0) {
                septets[n++] = (byte) basic;
            } else {
                septets[n++] = GsmAlphabet.ESCAPE;
                septets[n++] = (byte) GsmAlphabet.extensionSeptetOf(cp);
            }
            i += Character.charCount(cp);
        }
        return java.util.Arrays.copyOf(septets, n);
    }

    private static int airOctets(SmsEncoding encoding, byte[] udh, byte[] payload) {
        int udhOctets = udh == null ? 0 : udh.length;
        if (encoding == SmsEncoding.UCS2) {
            return udhOctets + payload.length;
        }
        // Septets start on a septet boundary after the UDH, so fill bits pad the header.
        int fillBits = (7 - (udhOctets * 8) % 7) % 7;
        return udhOctets + (fillBits + payload.length * 7 + 7) / 8;
    }
}
