package org.qingfeng.sms.smpp;

import org.qingfeng.sms.PhoneMask;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one part until it has a final answer: waits for a bound link, then hands the part to
 * the submit loops; a loop waits for the part's token and runs jSMPP's blocking submit; the
 * answer comes back to the channel context (in batches, see {@link ContextInbox}), which
 * decides: done, retry after a slow-down, retry after a backoff, resubmit after a lost link,
 * or fail.
 *
 * <p>The window is the loops: {@code window} dedicated threads, each with at most one
 * submit_sm outstanding, that take the next part as soon as their response is in, with no
 * trip through the event loop in between. At most {@code 2 * window} parts are handed to the
 * loops at a time (the rest wait on the context, in order), so a slow SMSC grows no queue
 * beyond the messages the caller has in flight. A part's successors are handed over only once
 * it has its final answer, so the parts of one message go out in order, a throttled part
 * before its successors. Context only, except where a method says "loop thread".
 */
final class PartSubmitter {
    private static final Logger log = LoggerFactory.getLogger(PartSubmitter.class);
    private static final byte ESM_CLASS_UDHI = 0x40;
    /** Caps that keep a pathological SMSC from holding a part forever. */
    private static final int MAX_THROTTLED_RETRIES = 200;
    private static final int MAX_NOT_SENT_RETRIES = 50;
    private static final int MAX_OUTCOME_UNKNOWN_RESUBMITS = 10;

    /** One part's progress through its attempts. Handed between threads only through queues. */
    static final class Attempt {
        final OutboundSms sms;
        final SmsPart part;
        final int dataCoding;
        int transientFailures;
        int throttled;
        int notSent;
        int outcomeUnknown;
        long firstSentAt;
        /** When the latest submit_sm of this part went out, on the bucket's clock. */
        long lastSentNanos;
        Promise<PartOutcome> result;

        Attempt(OutboundSms sms, SmsPart part, int dataCoding) {
            this.sms = sms;
            this.part = part;
            this.dataCoding = dataCoding;
        }
    }

    /** The link dropped between handing the part over and sending: wait for the rebind, no retry spent. */
    private static final java.io.IOException NOT_BOUND = new java.io.IOException("not bound");

    private record Answer(String smscId, Throwable failure, long generation) {
    }

    private final Vertx vertx;
    private final ChannelConfig config;
    private final SmppLink link;
    private final PartsTokenBucket bucket;
    private final SmppMetrics metrics;
    private final SmscIdNormalizer normalizer;
    private final RegisteredDelivery registeredDelivery;
    private final ContextInbox inbox;
    private final int loops;
    private final int handoffLimit;
    /** Parts handed to the loops and not yet answered: at most handoffLimit, by the admission below. */
    private final LinkedBlockingQueue<Attempt> handoff = new LinkedBlockingQueue<>();
    /** Parts waiting for room in the hand-off, in order. */
    private final ArrayDeque<Attempt> waiting = new ArrayDeque<>();
    private final AtomicInteger inUse = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private int handedOff;
    private volatile boolean closed;

    PartSubmitter(Vertx vertx, ChannelConfig config, SmppLink link, PartsTokenBucket bucket,
                  ContextInbox inbox, SmppMetrics metrics, SmscIdNormalizer normalizer) {
        this.vertx = vertx;
        this.config = config;
        this.link = link;
        this.bucket = bucket;
        this.inbox = inbox;
        this.metrics = metrics;
        this.normalizer = normalizer;
        this.registeredDelivery = new RegisteredDelivery(config.registeredDelivery);
        this.loops = config.window;
        this.handoffLimit = 2 * config.window;
    }

    /** Completes with the part's final outcome; fails only when the channel is closed. */
    Future<PartOutcome> submit(Attempt attempt) {
        attempt.result = Promise.promise();
        start(attempt);
        return attempt.result.future();
    }

    /** Submits outstanding or about to be sent (holding a loop). Any thread. */
    int inUse() {
        return inUse.get();
    }

    /** Stops the loops; parts not yet sent fail with "closed". */
    void close() {
        closed = true;
        List<Attempt> unsent = new ArrayList<>(waiting);
        waiting.clear();
        handoff.drainTo(unsent);
        synchronized (threads) {
            threads.forEach(Thread::interrupt);
        }
        unsent.forEach(a -> a.result.tryFail(closedException()));
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("channel " + config.name + " is closed");
    }

    private void start(Attempt attempt) {
        if (closed) {
            attempt.result.tryFail(closedException());
            return;
        }
        if (link.current() == null) {
            link.awaitBound().onComplete(bound -> {
                if (bound.succeeded()) {
                    start(attempt);
                } else {
                    attempt.result.tryFail(bound.cause());
                }
            });
            return;
        }
        waiting.addLast(attempt);
        handOff();
    }

    private void handOff() {
        startLoops();
        while (handedOff < handoffLimit && !waiting.isEmpty()) {
            handedOff++;
            handoff.add(waiting.pollFirst());
        }
    }

    private void startLoops() {
        synchronized (threads) {
            while (threads.size() < loops && !closed) {
                Thread thread = new Thread(this::loop, "smpp-submit-" + config.name + "-" + threads.size());
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }
    }

    /** Loop thread: take a part, wait for its token, submit it, post the answer; again. */
    private void loop() {
        while (!closed) {
            Attempt attempt;
            try {
                attempt = handoff.take();
            } catch (InterruptedException e) {
                return;
            }
            inUse.incrementAndGet();
            Answer answer;
            try {
                answer = closed ? new Answer(null, NOT_BOUND, -1) : waitAndSend(attempt);
            } catch (InterruptedException e) {
                answer = new Answer(null, NOT_BOUND, -1); // closing
            } catch (Throwable t) {
                answer = new Answer(null, t, -1);
            }
            inUse.decrementAndGet();
            Answer answered = answer;
            inbox.post(() -> answered(attempt, answered));
        }
    }

    /** Loop thread. Never throws for an SMSC failure: the failure travels inside the answer. */
    private Answer waitAndSend(Attempt attempt) throws InterruptedException {
        long waitNanos = bucket.reserve(1);
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
        SmppLink.Bound bound = link.current();
        if (bound == null) {
            return new Answer(null, NOT_BOUND, -1);
        }
        if (attempt.firstSentAt == 0) {
            attempt.firstSentAt = System.currentTimeMillis();
        }
        long started = System.nanoTime();
        attempt.lastSentNanos = bucket.now();
        try {
            String smscId = submitSm(bound.transmitter(), attempt);
            metrics.responseLatency(System.nanoTime() - started);
            return new Answer(smscId, null, bound.generation());
        } catch (Exception e) {
            return new Answer(null, e, bound.generation());
        }
    }

    /** Context: a loop's answer for one part. */
    private void answered(Attempt attempt, Answer answer) {
        handedOff--;
        decide(attempt, answer);
        handOff();
    }

    /** Loop thread: the blocking jSMPP call. */
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

    private void decide(Attempt attempt, Answer answer) {
        if (answer.failure == null) {
            bucket.accepted();
            metrics.submit(SmsEvent.STATUS_SUBMITTED);
            attempt.result.complete(outcome(attempt, SmsEvent.STATUS_SUBMITTED, normalizer.normalize(answer.smscId), 0));
            return;
        }
        if (answer.failure == NOT_BOUND) {
            start(attempt);
            return;
        }
        int commandStatus = SubmitFailure.commandStatusOf(answer.failure);
        SubmitFailure kind = SubmitFailure.classify(answer.failure, link.isCurrent(answer.generation));
        switch (kind) {
            case THROTTLED, QUEUE_FULL -> {
                metrics.throttled(commandStatus);
                if (kind == SubmitFailure.THROTTLED) {
                    bucket.throttled(attempt.lastSentNanos);
                } else {
                    bucket.queueFull();
                }
                if (++attempt.throttled > MAX_THROTTLED_RETRIES) {
                    reject(attempt, commandStatus);
                } else {
                    start(attempt);
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
                if (++attempt.notSent > MAX_NOT_SENT_RETRIES) {
                    reject(attempt, commandStatus);
                } else {
                    after(20, attempt);
                }
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
                    unknown(attempt);
                    return;
                }
                attempt.outcomeUnknown++;
                log.info("channel {}: {} part {} outcome unknown ({}); resubmitting by policy",
                        config.name, attempt.sms.messageId(), attempt.part.index(), why);
                start(attempt); // waits for the rebind if the link is down
            }
            default -> {
                log.info("channel {}: {} to {} part {} rejected: {}", config.name, attempt.sms.messageId(),
                        PhoneMask.mask(attempt.sms.destination()), attempt.part.index(), answer.failure.toString());
                reject(attempt, commandStatus);
            }
        }
    }

    private void reject(Attempt attempt, int commandStatus) {
        metrics.submit(SmsEvent.STATUS_REJECTED);
        attempt.result.complete(outcome(attempt, SmsEvent.STATUS_REJECTED, null, commandStatus));
    }

    private void unknown(Attempt attempt) {
        metrics.submit(SmsEvent.STATUS_OUTCOME_UNKNOWN);
        attempt.result.complete(outcome(attempt, SmsEvent.STATUS_OUTCOME_UNKNOWN, null,
                SubmitFailure.LOCAL_ERROR_STATUS));
    }

    private PartOutcome outcome(Attempt attempt, String status, String smscId, int commandStatus) {
        return new PartOutcome(attempt.part.index(), attempt.part.total(), status, smscId, commandStatus,
                attempt.outcomeUnknown, attempt.firstSentAt, System.currentTimeMillis());
    }

    private void after(long millis, Attempt attempt) {
        vertx.setTimer(millis, id -> start(attempt));
    }
}
