package org.qingfeng.sms.receipt;

import java.util.Locale;

/** Delivery state of a submitted part, from a receipt's stat word or message_state TLV. */
public enum ReceiptState {
    DELIVERED,
    EXPIRED,
    DELETED,
    UNDELIVERABLE,
    ACCEPTED,
    UNKNOWN,
    REJECTED,
    ENROUTE;

    /**
     * Maps the receipt text's stat word. SMSCs invent their own words (FAILED, NOROUTE, ...);
     * any word we do not know is a failure, and the caller keeps the raw word for the report.
     * A missing word is UNKNOWN because nothing was said either way.
     */
    public static ReceiptState fromStat(String word) {
        if (word == null || word.isBlank()) {
            return UNKNOWN;
        }
        switch (word.trim().toUpperCase(Locale.ROOT)) {
            case "DELIVRD":
            case "DELIVERED":
                return DELIVERED;
            case "EXPIRED":
                return EXPIRED;
            case "DELETED":
                return DELETED;
            case "UNDELIV":
            case "UNDELIVERABLE":
                return UNDELIVERABLE;
            case "ACCEPTD":
            case "ACCEPTED":
                return ACCEPTED;
            case "UNKNOWN":
                return UNKNOWN;
            case "REJECTD":
            case "REJECTED":
                return REJECTED;
            case "ENROUTE":
                return ENROUTE;
            default:
                return UNDELIVERABLE;
        }
    }

    /** Maps the SMPP 3.4 message_state TLV (0x0427); values outside 1..8 are UNKNOWN. */
    public static ReceiptState fromMessageState(int smppMessageStateTlv) {
        switch (smppMessageStateTlv) {
            case 1: return ENROUTE;
            case 2: return DELIVERED;
            case 3: return EXPIRED;
            case 4: return DELETED;
            case 5: return UNDELIVERABLE;
            case 6: return ACCEPTED;
            case 7: return UNKNOWN;
            case 8: return REJECTED;
            default: return UNKNOWN;
        }
    }

    /** SMPP 3.4 treats every state except ENROUTE as final: no further receipt will follow. */
    public boolean isFinal() {
        return this != ENROUTE;
    }

    /** Final without reaching the handset (ACCEPTED counts as success: the SMSC took responsibility). */
    public boolean isFailure() {
        return isFinal() && this != DELIVERED && this != ACCEPTED;
    }
}
