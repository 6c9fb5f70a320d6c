package org.qingfeng.sms.smpp;

import org.qingfeng.sms.PhoneMask;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jsmpp.bean.DataCoding;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends messages part by part. The window is the submit loops: {@code window} dedicated
 * threads, each with at most one submit_sm outstanding. A loop takes a part from the shared
 * queue, waits for its token, runs jSMPP's blocking submit and, when the SMSC accepts it,
 * finishes the part itself (metrics, submit_result event, receipt correlation) and goes on
 * with the message's next part, or takes the next queued one: the accepted path, which is
 * nearly every part, never passes through the channel context.
 *
 * <p>Any other answer goes to the channel context (in batches, see {@link ContextInbox}),
 * which decides: retry after a slow-down, retry after a backoff, resubmit after a lost link
 * (waiting for the rebind), or fail. A retried part goes to the back of the queue and its
 * successors wait for it, so the parts of one message go out in order, a throttled part
 * before its successors. The queue holds only parts of messages the callers have in flight.
 * Context only, except where a method says "loop thread" or "any thread".
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
        final MessageJob job;
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

        Attempt(MessageJob job, SmsPart part, int dataCoding) {
            this.job = job;
            this.sms = job.sms();
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
    private final TypeOfNumber sourceTon;
    private final NumberingPlanIndicator sourceNpi;
    private final TypeOfNumber destTon;
    private final NumberingPlanIndicator destNpi;
    /** jSMPP's data_coding objects (immutable), by data_coding value. */
    private final DataCoding[] dataCodings = new DataCoding[256];
    private final ContextInbox inbox;
    private final Context context;
    private final int loops;
    /** Parts waiting for a loop, in order. */
    private final LinkedBlockingQueue<Attempt> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger inUse = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    private volatile boolean loopsStarted;

    PartSubmitter(Vertx vertx, Context context, ChannelConfig config, SmppLink link, PartsTokenBucket bucket,
                  ContextInbox inbox, SmppMetrics metrics, SmscIdNormalizer normalizer) {
        this.vertx = vertx;
        this.context = context;
        this.config = config;
        this.link = link;
        this.bucket = bucket;
        this.inbox = inbox;
        this.metrics = metrics;
        this.normalizer = normalizer;
        this.registeredDelivery = new RegisteredDelivery(config.registeredDelivery);
        this.loops = config.window;
        // Looked up once: jSMPP's valueOf lookups copy the enum's values() on every call.
        this.sourceTon = TypeOfNumber.valueOf((byte) config.sourceTon);
        this.sourceNpi = NumberingPlanIndicator.valueOf((byte) config.sourceNpi);
        this.destTon = TypeOfNumber.valueOf((byte) config.destTon);
        this.destNpi = NumberingPlanIndicator.valueOf((byte) config.destNpi);
        for (int coding = 0; coding < dataCodings.length; coding++) {
            dataCodings[coding] = DataCodings.newInstance((byte) coding);
        }
    }

    /**
     * Queues a message's first part; the job's future tells the outcome. Any thread: while the
     * link is bound the part goes straight to the loops, otherwise via the context to wait for it.
     */
    void submit(MessageJob job) {
        Attempt first = job.first();
        if (!closed && link.current() != null) {
            startLoops();
            queue.add(first);
            if (closed) {
                failQueued(); // close() may have drained the queue just before the add
            }
        } else {
            context.runOnContext(v -> start(first));
        }
    }

    /** Submits outstanding or about to be sent (holding a loop). Any thread. */
    int inUse() {
        return inUse.get();
    }

    /** Stops the loops; parts not yet sent fail with "closed". */
    void close() {
        closed = true;
        synchronized (threads) {
            threads.forEach(Thread::interrupt);
        }
        failQueued();
    }

    private void failQueued() {
        List<Attempt> unsent = new ArrayList<>();
        queue.drainTo(unsent);
        unsent.forEach(a -> a.job.fail(closedException()));
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("channel " + config.name + " is closed");
    }

    private void start(Attempt attempt) {
        if (closed) {
            attempt.job.fail(closedException());
            return;
        }
        if (link.current() == null) {
            link.awaitBound().onComplete(bound -> {
                if (bound.succeeded()) {
                    start(attempt);
                } else {
                    attempt.job.fail(bound.cause());
                }
            });
            return;
        }
        startLoops();
        queue.add(attempt);
    }

    private void startLoops() {
        if (loopsStarted) {
            return;
        }
        synchronized (threads) {
            while (threads.size() < loops && !closed) {
                Thread thread = new Thread(this::loop, "smpp-submit-" + config.name + "-" + threads.size());
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            loopsStarted = threads.size() == loops;
        }
    }

    /**
     * Loop thread: take a part, wait for its token, submit it; when accepted, finish it here and
     * go on with the message's next part; any other answer goes to the context to be decided.
     */
    private void loop() {
        Attempt attempt = null;
        while (!closed) {
            if (attempt == null) {
                try {
                    attempt = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
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
            if (answer.failure == null) {
                attempt = accepted(attempt, answer.smscId);
            } else {
                Attempt failed = attempt;
                Answer answered = answer;
                inbox.post(() -> decide(failed, answered));
                attempt = null;
            }
        }
        if (attempt != null) {
            attempt.job.fail(closedException());
        }
    }

    /**
     * Any thread that holds the part: the SMSC accepted it.
     *
     * @return the message's next part, or null
     */
    private Attempt accepted(Attempt attempt, String smscId) {
        bucket.accepted();
        metrics.submit(SmsEvent.STATUS_SUBMITTED);
        return attempt.job.partDone(outcome(attempt, SmsEvent.STATUS_SUBMITTED, normalizer.normalize(smscId), 0));
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

    /** Loop thread: the blocking jSMPP call. */
    private String submitSm(AbortableSmppSession session, Attempt attempt) throws Exception {
        SmsPart part = attempt.part;
        String source = attempt.sms.sourceOverride() != null ? attempt.sms.sourceOverride() : config.sourceAddress;
        String destination = attempt.sms.destination().startsWith("+")
                ? attempt.sms.destination().substring(1) : attempt.sms.destination();
        byte[] shortMessage = part.shortMessageView(); // jSMPP only reads it
        ESMClass esmClass = new ESMClass(part.hasUdh() ? ESM_CLASS_UDHI : 0);
        return session.submitShortMessage("", sourceTon, sourceNpi, source, destTon, destNpi, destination,
                esmClass, (byte) 0, (byte) 1, null, null, registeredDelivery, (byte) 0,
                dataCodings[attempt.dataCoding & 0xFF], (byte) 0, shortMessage).getMessageId();
    }

    /** Context: a part the SMSC did not accept. */
    private void decide(Attempt attempt, Answer answer) {
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
            start(next);
        }
    }

    private PartOutcome outcome(Attempt attempt, String status, String smscId, int commandStatus) {
        return new PartOutcome(attempt.part.index(), attempt.part.total(), status, smscId, commandStatus,
                attempt.outcomeUnknown, attempt.firstSentAt, System.currentTimeMillis());
    }

    private void after(long millis, Attempt attempt) {
        vertx.setTimer(millis, id -> start(attempt));
    }
}
