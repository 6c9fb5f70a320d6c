package org.qingfeng.sms.smpp;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.qingfeng.sms.encoding.EncodedSms;
import org.qingfeng.sms.encoding.SmsPart;
import org.qingfeng.sms.events.SmsEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * One message on its way through the channel: its parts go one after another, each once the
 * previous one has its final answer, so a throttled part is retried before its successors.
 *
 * <p>A job is touched by one thread at a time: the sender writing its current part, the jSMPP
 * thread that received that part's answer, or the channel context while the part is being
 * retried. Parts pass between them only through queues and the session's map of submits in
 * flight, which order the accesses. The caller's future completes on the caller's
 * context once every part is answered and its submit_result event published.
 */
final class MessageJob {
    private final OutboundSms sms;
    private final EncodedSms encoded;
    private final String channel;
    private final ReceiptEvents events;
    private final Context callerContext;
    private final Promise<SubmitOutcome> result = Promise.promise();
    private final List<PartOutcome> outcomes;
    /**
     * Submit_result publications not yet complete when their part was done, created on the first
     * one: with a publisher that answers at once (the usual case) a message needs no list at all.
     */
    private List<Future<Void>> pending;

    MessageJob(OutboundSms sms, EncodedSms encoded, String channel, ReceiptEvents events, Context callerContext) {
        this.sms = sms;
        this.encoded = encoded;
        this.channel = channel;
        this.events = events;
        this.callerContext = callerContext;
        int parts = encoded.partList().size();
        this.outcomes = new ArrayList<>(parts);
    }

    Future<SubmitOutcome> future() {
        return result.future();
    }

    OutboundSms sms() {
        return sms;
    }

    /** The first part's attempt. */
    PartSubmitter.Attempt first() {
        return attempt(0);
    }

    /**
     * Records a part's final outcome and publishes its submit_result event (without waiting
     * for it: the message's future waits). Any thread that holds the job.
     *
     * @return the next part to send, or null when the message is done
     */
    PartSubmitter.Attempt partDone(PartOutcome outcome) {
        outcomes.add(outcome);
        Future<Void> published = events.onSubmitResult(sms.messageId(), sms.campaignId(), outcome);
        if (!published.isComplete()) {
            if (pending == null) {
                pending = new ArrayList<>(encoded.partList().size());
            }
            pending.add(published);
        }
        List<SmsPart> parts = encoded.partList();
        int next = outcomes.size();
        if (!SmsEvent.STATUS_SUBMITTED.equals(outcome.status())) {
            // The handset cannot complete the message: do not spend the remaining parts.
            long now = System.currentTimeMillis();
            for (int rest = next; rest < parts.size(); rest++) {
                outcomes.add(new PartOutcome(rest + 1, parts.size(), SubmitOutcome.NOT_SENT, null, 0, 0, 0, now));
            }
            finish();
            return null;
        }
        if (next == parts.size()) {
            finish();
            return null;
        }
        return attempt(next);
    }

    /** The channel closed before the message was done. */
    void fail(Throwable cause) {
        complete(() -> result.tryFail(cause));
    }

    private PartSubmitter.Attempt attempt(int index) {
        return new PartSubmitter.Attempt(this, encoded.partList().get(index), encoded.encoding().dataCoding());
    }

    private void finish() {
        SubmitOutcome outcome = new SubmitOutcome(sms.messageId(), channel, encoded.encoding().name(), outcomes);
        if (pending == null || allComplete(pending)) {
            complete(() -> result.tryComplete(outcome)); // no composite future and listener per message
        } else {
            Future.join(pending).onComplete(ignored -> complete(() -> result.tryComplete(outcome)));
        }
    }

    private static boolean allComplete(List<Future<Void>> futures) {
        for (int i = 0; i < futures.size(); i++) {
            if (!futures.get(i).isComplete()) {
                return false;
            }
        }
        return true;
    }

    private void complete(Runnable action) {
        if (Vertx.currentContext() == callerContext) {
            action.run();
        } else {
            callerContext.runOnContext(v -> action.run());
        }
    }
}
