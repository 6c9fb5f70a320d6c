package org.qingfeng.sms.encoding;

/** The text cannot be sent as an SMS; {@link #code()} says why so callers can map it to UI/API errors. */
public final class SmsTextException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Code {
        EMPTY,
        TOO_LONG,
        INVALID_TEXT
    }

    private final Code code;

    public SmsTextException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
