package org.qingfeng.sms.encoding;

/** One submit_sm worth of an encoded SMS. Byte arrays are copied out so parts stay immutable. */
public final class SmsPart {

    private final int index;
    private final int total;
    private final String text;
    private final byte[] udh;
    private final byte[] payload;
    /**
     * UDH and payload joined once: the connector sends it on every submit_sm of this part, and a
     * campaign's single-part template is sent once per number, so joining (or copying) per submit
     * was an allocation and a copy per part on the submit path.
     */
    private final byte[] shortMessage;
    private final int airOctets;

    SmsPart(int index, int total, String text, byte[] udh, byte[] payload, int airOctets) {
        this.index = index;
        this.total = total;
        this.text = text;
        this.udh = udh;
        this.payload = payload;
        this.shortMessage = udh == null ? payload : SmsDecoder.concat(udh, payload);
        this.airOctets = airOctets;
    }

    /** 1-based position of this part. */
    public int index() {
        return index;
    }

    public int total() {
        return total;
    }

    /** The slice of the original text this part carries. */
    public String text() {
        return text;
    }

    /** User Data Header, or null for a single-part message. */
    public byte[] udh() {
        return udh == null ? null : udh.clone();
    }

    /** Whether the part starts with a UDH (set esm_class UDHI); {@link #udh()} without the copy. */
    public boolean hasUdh() {
        return udh != null;
    }

    /** GSM-7: unpacked septets, one per octet; UCS-2: UTF-16BE bytes. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload itself, for building another part of the same text; never handed out. */
    byte[] payloadShared() {
        return payload;
    }

    /** UDH followed by payload: the submit_sm short_message (set esm_class UDHI when udh != null). */
    public byte[] shortMessage() {
        return shortMessage.clone();
    }

    /**
     * {@link #shortMessage()} without the copy, for a sender that only reads it (jSMPP copies it
     * into the PDU it writes). The caller must not modify it: the part is shared.
     */
    public byte[] shortMessageView() {
        return shortMessage;
    }

    /** Octets this part occupies on the air interface (packed, with fill bits); at most 140. */
    public int airOctets() {
        return airOctets;
    }

    @Override
    public String toString() {
        return "SmsPart[" + index + "/" + total + ", airOctets=" + airOctets + ", text=" + text + "]";
    }
}
