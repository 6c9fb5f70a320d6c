package org.qingfeng.sms.encoding;

import java.util.List;

/** The result of encoding one text: what preview shows and what the sender submits. */
public final class EncodedSms {

    private final SmsEncoding encoding;
    private final int characters;
    private final List<SmsPart> parts;
    private final int referenceNumber;

    EncodedSms(SmsEncoding encoding, int characters, List<SmsPart> parts, int referenceNumber) {
        this.encoding = encoding;
        this.characters = characters;
        this.parts = List.copyOf(parts);
        this.referenceNumber = referenceNumber;
    }

    public SmsEncoding encoding() {
        return encoding;
    }

    /** Unicode code points in the text (an emoji counts once), as preview shows it. */
    public int characters() {
        return characters;
    }

    /** Number of submit_sm PDUs; throttling counts these. */
    public int parts() {
        return parts.size();
    }

    public List<SmsPart> partList() {
        return parts;
    }

    /** Concatenation reference as written in the UDH (masked to 8 or 16 bits). */
    public int referenceNumber() {
        return referenceNumber;
    }

    @Override
    public String toString() {
        return "EncodedSms[" + encoding + ", characters=" + characters + ", parts=" + parts.size() + "]";
    }
}
