package org.qingfeng.sms.smpp;

import org.jsmpp.PDUException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;

import java.io.IOException;

/** What a failed submit_sm means for the next step. */
enum SubmitFailure {
    /** ESME_RTHROTTLED: slow the channel, retry the part. */
    THROTTLED,
    /** ESME_RMSGQFUL: pause the channel, retry the part. */
    QUEUE_FULL,
    /** ESME_RSYSERR (a definite "not taken"), or an unreadable answer on a live link: retry up to max_retries. */
    TRANSIENT,
    /** Never written (the session was not bound or the write failed): retry freely once bound. */
    NOT_SENT,
    /** Written, but no response came (the link died, or the response timed out): the SMSC may or may not have it. */
    OUTCOME_UNKNOWN,
    /** Anything else: the message fails with the SMSC's command_status. */
    PERMANENT;

    /** Status used for failures the SMSC did not name (a PDU we could not even encode). */
    static final int LOCAL_ERROR_STATUS = -1;

    static SubmitFailure classify(Throwable failure, boolean linkStillUp) {
        if (failure instanceof NegativeResponseException negative) {
            return fromCommandStatus(negative.getCommandStatus());
        }
        if (failure instanceof LinkLostException) {
            return OUTCOME_UNKNOWN;
        }
        if (failure instanceof ResponseTimeoutException) {
            // Written, never answered: on a live link too, the SMSC may have taken it.
            return OUTCOME_UNKNOWN;
        }
        if (failure instanceof IOException) {
            return NOT_SENT;
        }
        if (failure instanceof PDUException) {
            return PERMANENT;
        }
        // An unparseable response: it was written and something came back.
        return linkStillUp ? TRANSIENT : OUTCOME_UNKNOWN;
    }

    static SubmitFailure fromCommandStatus(int commandStatus) {
        return switch (commandStatus) {
            case SMPPConstant.STAT_ESME_RTHROTTLED -> THROTTLED;
            case SMPPConstant.STAT_ESME_RMSGQFUL -> QUEUE_FULL;
            case SMPPConstant.STAT_ESME_RSYSERR -> TRANSIENT;
            default -> PERMANENT;
        };
    }

    static int commandStatusOf(Throwable failure) {
        return failure instanceof NegativeResponseException negative ? negative.getCommandStatus() : LOCAL_ERROR_STATUS;
    }
}
