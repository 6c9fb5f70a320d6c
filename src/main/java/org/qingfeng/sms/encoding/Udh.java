package org.qingfeng.sms.encoding;

/**
 * A parsed User Data Header. Only concatenation is interpreted; other information elements
 * are skipped but still counted in {@link #headerLength()} so the caller can strip them.
 */
public final class Udh {

    private final int headerLength;
    private final int reference;
    private final int total;
    private final int sequence;

    Udh(int headerLength, int reference, int total, int sequence) {
        this.headerLength = headerLength;
        this.reference = reference;
        this.total = total;
        this.sequence = sequence;
    }

    /** Total header octets including the leading UDHL octet. */
    public int headerLength() {
        return headerLength;
    }

    /** Concatenation reference (8- or 16-bit), or -1 when the header has no concatenation IE. */
    public int reference() {
        return reference;
    }

    /** Number of parts in the concatenated message; 1 when not concatenated. */
    public int total() {
        return total;
    }

    /** 1-based sequence of this part; 1 when not concatenated. */
    public int sequence() {
        return sequence;
    }

    public boolean concatenated() {
        return reference >= 0;
    }

    @Override
    public String toString() {
        return "Udh[length=" + headerLength + ", ref=" + reference + ", " + sequence + "/" + total + "]";
    }
}
