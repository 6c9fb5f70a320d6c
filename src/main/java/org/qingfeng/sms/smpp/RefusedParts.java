package org.qingfeng.sms.smpp;

import io.vertx.core.Vertx;
import org.qingfeng.sms.PhoneMask;
import org.qingfeng.sms.events.SmsEvent;
import org.qingfeng.sms.smpp.PartSubmitter.Attempt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * What becomes of a part the SMSC did not accept, decided on the channel context: slow the
 * channel and send it again (throttled, queue full), retry after a backoff (a transient error,
 * a part never written), resubmit or give up by the channel's outcome-unknown policy (written,
 * never answered), or end the message with the SMPP status (permanent). A part sent again goes
 * to the back of the queue ({@code retry}), its successors wait for it.
 */
final class RefusedParts {
    private static final Logger log = LoggerFactory.getLogger(RefusedParts.class);
    /** Caps that keep a pathological SMSC from holding a part forever. */
    private static final int MAX_THROTTLED_RETRIES = 200;
    private static final int MAX_NOT_SENT_RETRIES = 50;
    private static final int MAX_OUTCOME_UNKNOWN_RESUBMITS = 10;

    private final Vertx vertx;
    private final ChannelConfig config;
    private final SmppLink link;
    private final PartsTokenBucket bucket;
    private final SmppMetrics metrics;
    private final Consumer<Attempt> retry;

    /** @param retry queues a part again (waiting for the link if it is down); context only */
    RefusedParts(Vertx vertx, ChannelConfig config, SmppLink link, PartsTokenBucket bucket, SmppMetrics metrics,
                 Consumer<Attempt> retry) {
        this.vertx = vertx;
        this.config = config;
        this.link = link;
        this.bucket = bucket;
        this.metrics = metrics;
        this.retry = retry;
    }

    /**
     * Context: a part the SMSC did not accept, or whose answer never came.
     *
     * @param generation the bind the part was written on (a failure on a link since replaced is read accordingly)
     */
    void decide(Attempt attempt, Throwable failure, long generation) {
        int commandStatus = SubmitFailure.commandStatusOf(failure);
        SubmitFailure kind = SubmitFailure.classify(failure, link.isCurrent(generation));
        switch (kind) {
            case THROTTLED, QUEUE_FULL -> {
                metrics.throttled(commandStatus);
                if (kind == SubmitFailure.THROTTLED) {
                    bucket.throttled(attempt.lastSentNanos);
                } else {
                    bucket.queueFull();
                }
                if (++attempt.throttled > MAX_THROTTLED_RETRIES) {
                    log.warn("channel {}: {} to {} part {} still throttled after {} tries; rejected",
                            config.name, attempt.sms.messageId(), PhoneMask.mask(attempt.sms.destination()),
                            attempt.part.index(), MAX_THROTTLED_RETRIES);
                    reject(attempt, commandStatus);
                } else {
                    retry.accept(attempt);
                }
            }
            case TRANSIENT -> {
                if (++attempt.transientFailures > config.maxRetries) {
                    reject(attempt, commandStatus);
                } else {
                    after(100L << Math.min(attempt.transientFailures - 1, 6), attempt);
                }
            }
            case NOT_SENT -> {
                link.notWritten(generation);
                if (++attempt.notSent > MAX_NOT_SENT_RETRIES) {
                    log.warn("channel {}: {} to {} part {} could not be written in {} tries ({}); rejected",
                            config.name, attempt.sms.messageId(), PhoneMask.mask(attempt.sms.destination()),
                            attempt.part.index(), MAX_NOT_SENT_RETRIES, failure.toString());
                    reject(attempt, commandStatus);
                } else {
                    after(20, attempt);
                }
            }
            case OUTCOME_UNKNOWN -> {
                // Written but never answered (link lost, or no response in response_timeout_ms on a
                // live link): the SMSC may have it. Counted always; resubmitted only by policy.
                metrics.outcomeUnknown();
                String why = failure instanceof LinkLostException ? "link lost" : failure.toString();
                if (config.outcomeUnknownPolicy == OutcomeUnknownPolicy.FAIL
                        || attempt.outcomeUnknown >= MAX_OUTCOME_UNKNOWN_RESUBMITS) {
                    log.warn("channel {}: {} part {} outcome unknown ({}); not resubmitting (policy {}, {} resubmits)",
                            config.name, attempt.sms.messageId(), attempt.part.index(), why,
                            config.outcomeUnknownPolicy, attempt.outcomeUnknown);
                    unknown(attempt);
                    return;
                }
                attempt.outcomeUnknown++;
                log.info("channel {}: {} part {} outcome unknown ({}); resubmitting by policy",
                        config.name, attempt.sms.messageId(), attempt.part.index(), why);
                retry.accept(attempt); // waits for the rebind if the link is down
            }
            default -> {
                log.info("channel {}: {} to {} part {} rejected: {}", config.name, attempt.sms.messageId(),
                        PhoneMask.mask(attempt.sms.destination()), attempt.part.index(), failure.toString());
                reject(attempt, commandStatus);
            }
        }
    }

    private void reject(Attempt attempt, int commandStatus) {
        metrics.submit(SmsEvent.STATUS_REJECTED);
        finished(attempt, outcome(attempt, SmsEvent.STATUS_REJECTED, null, commandStatus));
    }

    private void unknown(Attempt attempt) {
        metrics.submit(SmsEvent.STATUS_OUTCOME_UNKNOWN);
        finished(attempt, outcome(attempt, SmsEvent.STATUS_OUTCOME_UNKNOWN, null,
                SubmitFailure.LOCAL_ERROR_STATUS));
    }

    /** Context: a part ended without being accepted; the message is done (its rest is not sent). */
    private void finished(Attempt attempt, PartOutcome outcome) {
        Attempt next = attempt.job.partDone(outcome);
        if (next != null) {
            retry.accept(next);
        }
    }

    static PartOutcome outcome(Attempt attempt, String status, String smscId, int commandStatus) {
        return new PartOutcome(attempt.part.index(), attempt.part.total(), status, smscId, commandStatus,
                attempt.outcomeUnknown, attempt.firstSentAt, System.currentTimeMillis());
    }

    private void after(long millis, Attempt attempt) {
        vertx.setTimer(millis, id -> retry.accept(attempt));
    }
}
