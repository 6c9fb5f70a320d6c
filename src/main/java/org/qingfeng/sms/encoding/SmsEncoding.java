package org.qingfeng.sms.encoding;

/** The two encodings the blast sender uses, with their SMPP data_coding values. */
public enum SmsEncoding {
    GSM7(0x00),
    UCS2(0x08);

    private final int dataCoding;

    SmsEncoding(int dataCoding) {
        this.dataCoding = dataCoding;
    }

    /** Value for the submit_sm data_coding field. */
    public int dataCoding() {
        return dataCoding;
    }
}
