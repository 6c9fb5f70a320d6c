package org.qingfeng.sms.smpp;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.qingfeng.sms.encoding.SmsPart;
import org.qingfeng.sms.events.SmsEvent;
import org.qingfeng.sms.receipt.SmscIdNormalizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Sends one part until it has a final answer: waits for a bound link, a window slot and its
 * tokens, runs jSMPP's blocking submit on the submit pool, then decides: done, retry after a
 * slow-down, retry after a backoff, resubmit after a lost link, or fail. Channel context only.
 */
final class PartSubmitter {
    private static final Logger log = LoggerFactory.getLogger(PartSubmitter.class);
    private static final byte ESM_CLASS_UDHI = 0x40;
    /** Caps that keep a pathological SMSC from holding a part forever. */
    private static final int MAX_THROTTLED_RETRIES = 200;
    private static final int MAX_NOT_SENT_RETRIES = 50;
    private static final int MAX_OUTCOME_UNKNOWN_RESUBMITS = 10;

    /** One part's progress through its attempts. */
    static final class Attempt {
        final OutboundSms sms;
        final SmsPart part;
        final int dataCoding;
        int transientFailures;
        int throttled;
        int notSent;
        int outcomeUnknown;
        long firstSentAt;

        Attempt(OutboundSms sms, SmsPart part, int dataCoding) {
            this.sms = sms;
            this.part = part;
            this.dataCoding = dataCoding;
        }
    }

    /** The link dropped between taking a window slot and sending: wait for the rebind, no retry spent. */
    private static final java.io.IOException NOT_BOUND = new java.io.IOException("not bound");

    private record Answer(String smscId, Throwable failure, long generation) {
    }

    private final Vertx vertx;
    private final ChannelConfig config;
    private final SmppLink link;
    private final SubmitWindow window;
    private final PartsTokenBucket bucket;
    private final WorkerExecutor submitPool;
    private final SmppMetrics metrics;
    private final SmscIdNormalizer normalizer;
    private final RegisteredDelivery registeredDelivery;

    PartSubmitter(Vertx vertx, ChannelConfig config, SmppLink link, SubmitWindow window, PartsTokenBucket bucket,
                  WorkerExecutor submitPool, SmppMetrics metrics, SmscIdNormalizer normalizer) {
        this.vertx = vertx;
        this.config = config;
        this.link = link;
        this.window = window;
        this.bucket = bucket;
        this.submitPool = submitPool;
        this.metrics = metrics;
        this.normalizer = normalizer;
        this.registeredDelivery = new RegisteredDelivery(config.registeredDelivery);
    }

    Future<PartOutcome> submit(Attempt attempt) {
        return link.awaitBound()
                .compose(bound -> window.acquire())
                .compose(slot -> waitForTokens())
                .compose(ready -> send(attempt))
                .compose(answer -> decide(attempt, answer));
    }

    private Future<Void> waitForTokens() {
        long waitNanos = bucket.reserve(1);
        if (waitNanos <= 0) {
            return Future.succeededFuture();
        }
        Promise<Void> ready = Promise.promise();
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)), id -> ready.complete());
        return ready.future();
    }

    /** Never fails: the failure travels inside the answer. Releases the window slot. */
    private Future<Answer> send(Attempt attempt) {
        SmppLink.Bound bound = link.current();
        if (bound == null) {
            window.release();
            return Future.succeededFuture(new Answer(null, NOT_BOUND, -1));
        }
        if (attempt.firstSentAt == 0) {
            attempt.firstSentAt = System.currentTimeMillis();
        }
        long started = System.nanoTime();
        return submitPool.executeBlocking(() -> submitSm(bound.transmitter(), attempt), false)
                .transform(result -> {
                    window.release();
                    if (result.succeeded()) {
                        metrics.responseLatency(System.nanoTime() - started);
                    }
                    return Future.succeededFuture(result.succeeded()
                            ? new Answer(result.result(), null, bound.generation())
                            : new Answer(null, result.cause(), bound.generation()));
                });
    }

    /** Submit pool thread: the blocking jSMPP call. */
    private String submitSm(AbortableSmppSession session, Attempt attempt) throws Exception {
        SmsPart part = attempt.part;
        String source = attempt.sms.sourceOverride() != null ? attempt.sms.sourceOverride() : config.sourceAddress;
        String destination = attempt.sms.destination().startsWith("+")
                ? attempt.sms.destination().substring(1) : attempt.sms.destination();
        ESMClass esmClass = new ESMClass(part.udh() != null ? ESM_CLASS_UDHI : 0);
        return session.submitShortMessage("",
                TypeOfNumber.valueOf((byte) config.sourceTon), NumberingPlanIndicator.valueOf((byte) config.sourceNpi), source,
                TypeOfNumber.valueOf((byte) config.destTon), NumberingPlanIndicator.valueOf((byte) config.destNpi), destination,
                esmClass, (byte) 0, (byte) 1, null, null, registeredDelivery, (byte) 0,
                DataCodings.newInstance((byte) attempt.dataCoding), (byte) 0, part.shortMessage()).getMessageId();
    }

    private Future<PartOutcome> decide(Attempt attempt, Answer answer) {
        if (answer.failure == null) {
            bucket.accepted();
            metrics.submit(SmsEvent.STATUS_SUBMITTED);
            return Future.succeededFuture(outcome(attempt, SmsEvent.STATUS_SUBMITTED, normalizer.normalize(answer.smscId), 0));
        }
        if (answer.failure == NOT_BOUND) {
            return submit(attempt);
        }
        int commandStatus = SubmitFailure.commandStatusOf(answer.failure);
        SubmitFailure kind = SubmitFailure.classify(answer.failure, link.isCurrent(answer.generation));
        switch (kind) {
            case THROTTLED, QUEUE_FULL -> {
                metrics.throttled(commandStatus);
                if (kind == SubmitFailure.THROTTLED) {
                    bucket.throttled();
                } else {
                    bucket.queueFull();
                }
                if (++attempt.throttled > MAX_THROTTLED_RETRIES) {
                    return reject(attempt, commandStatus);
                }
                return submit(attempt);
            }
            case TRANSIENT -> {
                if (++attempt.transientFailures > config.maxRetries) {
                    return reject(attempt, commandStatus);
                }
                return after(100L << Math.min(attempt.transientFailures - 1, 6)).compose(v -> submit(attempt));
            }
            case NOT_SENT -> {
                if (++attempt.notSent > MAX_NOT_SENT_RETRIES) {
                    return reject(attempt, commandStatus);
                }
                return after(20).compose(v -> submit(attempt));
            }
            case OUTCOME_UNKNOWN -> {
                // Written but never answered (link lost, or no response in response_timeout_ms on a
                // live link): the SMSC may have it. Counted always; resubmitted only by policy.
                metrics.outcomeUnknown();
                String why = answer.failure instanceof LinkLostException ? "link lost" : answer.failure.toString();
                if (config.outcomeUnknownPolicy == OutcomeUnknownPolicy.FAIL
                        || attempt.outcomeUnknown >= MAX_OUTCOME_UNKNOWN_RESUBMITS) {
                    log.warn("channel {}: {} part {} outcome unknown ({}); not resubmitting (policy {}, {} resubmits)",
                            config.name, attempt.sms.messageId(), attempt.part.index(), why,
                            config.outcomeUnknownPolicy, attempt.outcomeUnknown);
                    return unknown(attempt);
                }
                attempt.outcomeUnknown++;
                log.info("channel {}: {} part {} outcome unknown ({}); resubmitting by policy",
                        config.name, attempt.sms.messageId(), attempt.part.index(), why);
                return submit(attempt); // waits for the rebind if the link is down
            }
            default -> {
                log.info("channel {}: {} to {} part {} rejected: {}", config.name, attempt.sms.messageId(),
                        PhoneMask.mask(attempt.sms.destination()), attempt.part.index(), answer.failure.toString());
                return reject(attempt, commandStatus);
            }
        }
    }

    private Future<PartOutcome> reject(Attempt attempt, int commandStatus) {
        metrics.submit(SmsEvent.STATUS_REJECTED);
        return Future.succeededFuture(outcome(attempt, SmsEvent.STATUS_REJECTED, null, commandStatus));
    }

    private Future<PartOutcome> unknown(Attempt attempt) {
        metrics.submit(SmsEvent.STATUS_OUTCOME_UNKNOWN);
        return Future.succeededFuture(outcome(attempt, SmsEvent.STATUS_OUTCOME_UNKNOWN, null,
                SubmitFailure.LOCAL_ERROR_STATUS));
    }

    private PartOutcome outcome(Attempt attempt, String status, String smscId, int commandStatus) {
        return new PartOutcome(attempt.part.index(), attempt.part.total(), status, smscId, commandStatus,
                attempt.outcomeUnknown, attempt.firstSentAt, System.currentTimeMillis());
    }

    private Future<Void> after(long millis) {
        Promise<Void> done = Promise.promise();
        vertx.setTimer(millis, id -> done.complete());
        return done.future();
    }
}
