package org.qingfeng.sms.events;

/**
 * One fact about an outbound SMS part, as it travels on the {@code sms.events} topic:
 * a submit result (the SMSC's answer to one {@code submit_sm}) or a delivery receipt.
 *
 * <p>A plain class with public fields and epoch-millis times, because jsoniter's
 * reflection mode reads and writes exactly that on Java 17 (records and java.time do not).
 */
public class SmsEvent {
    public static final String TYPE_SUBMIT_RESULT = "submit_result";
    public static final String TYPE_RECEIPT = "receipt";

    public static final String STATUS_SUBMITTED = "submitted";
    public static final String STATUS_REJECTED = "rejected";
    public static final String STATUS_OUTCOME_UNKNOWN = "outcome_unknown";

    /** {@link #TYPE_SUBMIT_RESULT} or {@link #TYPE_RECEIPT}. */
    public String type;
    /** Deterministic, so a replayed or re-published event is recognised as the same one. */
    public String eventId;
    public String channel;
    /** Our message id; on a receipt it is null unless the submit response was already seen. */
    public String messageId;
    public int partIndex;
    public int partTotal;
    /** The SMSC message id, normalised with the channel's setting. */
    public String smscId;
    /** SMPP command_status of the submit_sm_resp (0 on success and on receipts). */
    public int commandStatus;
    /** submitted | rejected | outcome_unknown for results; the receipt state name for receipts. */
    public String status;
    /** The raw {@code stat:} word of a receipt, kept for non-standard words such as NOROUTE. */
    public String statWord;
    /** The receipt's {@code err:} code or network error code, as sent. */
    public String errorCode;
    public Long submittedAt;
    public Long doneAt;
    public long receivedAt;
    /**
     * The campaign the message belongs to (the campaign ledger id), on submit results of campaign
     * messages; null for test sends and on receipts. The receipt sink maps message id to campaign from it.
     */
    public Long campaignId;

    public String partitionKey() {
        return channel + ":" + (smscId != null ? smscId : messageId);
    }

    @Override
    public String toString() {
        return "SmsEvent{" + type + " " + eventId + " msg=" + messageId + " part=" + partIndex + "/" + partTotal
                + " status=" + status + " cs=" + commandStatus + "}";
    }
}
