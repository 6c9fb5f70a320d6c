package org.qingfeng.sim;

import org.jsmpp.PDUStringException;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;

/**
 * The answer to an accepted submit_sm, carrying the receipt still to be scheduled. jSMPP hands
 * this object back in onSubmitSmRespSent, which is where the receipt timer starts: a receipt
 * scheduled earlier could overtake its own submit_sm_resp.
 */
final class AcceptedSubmit extends SubmitSmResult {

    private static final OptionalParameter[] NO_TLVS = new OptionalParameter[0];

    private final ReceiptSender.PlannedReceipt pendingReceipt;

    private AcceptedSubmit(MessageId messageId, ReceiptSender.PlannedReceipt pendingReceipt) {
        super(messageId, NO_TLVS);
        this.pendingReceipt = pendingReceipt;
    }

    static AcceptedSubmit of(String messageId, ReceiptSender.PlannedReceipt pendingReceipt) {
        try {
            return new AcceptedSubmit(new MessageId(messageId), pendingReceipt);
        } catch (PDUStringException e) {
            throw new IllegalStateException("generated message id is not valid SMPP: " + messageId, e);
        }
    }

    /** The receipt to send once the response is out; null when none is due (or it went already). */
    ReceiptSender.PlannedReceipt pendingReceipt() {
        return pendingReceipt;
    }
}
