package org.qingfeng.sms.smpp;

import org.qingfeng.sms.PhoneMask;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jsmpp.PDUException;
import org.jsmpp.PDUSender;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Command;
import org.jsmpp.bean.DataCoding;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SubmitSmResp;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.qingfeng.sms.encoding.SmsPart;
import org.qingfeng.sms.events.SmsEvent;
import org.qingfeng.sms.receipt.SmscIdNormalizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends messages part by part, pipelined: up to {@code window} submit_sm outstanding, written
 * by one sender thread in batches (one socket write per batch, see
 * {@link AbortableSmppSession#writeSubmits}), answered on the jSMPP thread that reads each
 * response. An accepted part is finished there (metrics, submit_result event, receipt
 * correlation) and the message's next part goes to the front of the queue: the accepted path,
 * which is nearly every part, never passes through the channel context, and no thread waits
 * for a particular response.
 *
 * <p>Any other answer goes to the channel context (in batches, see {@link ContextInbox}),
 * which decides: retry after a slow-down, retry after a backoff, resubmit after a lost link
 * (waiting for the rebind), or fail. A retried part goes to the back of the queue and its
 * successors wait for it, so the parts of one message go out in order, a throttled part
 * before its successors. The queue holds only parts of messages the callers have in flight.
 * Context only, except where a method says "sender thread" or "any thread".
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
    /** How often the sender looks for submits whose response is overdue. */
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

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
    private final int window;
    /**
     * The sender waits for this many free window slots (or fewer, when fewer parts are queued)
     * before it writes again: a full window frees one slot per response, and a sender woken per
     * slot paid a thread wake-up and a socket write per part.
     */
    private final int burst;
    private final long responseTimeoutNanos;
    /** Parts waiting to be sent, in order; a message's next part goes first. Only the sender takes. */
    private final LinkedBlockingDeque<Attempt> queue = new LinkedBlockingDeque<>();
    private final ReentrantLock windowLock = new ReentrantLock();
    private final Condition windowFreed = windowLock.newCondition();
    /** Submits outstanding or about to be written; guarded by windowLock. */
    private int outstanding;
    /** Free slots the sender waits for, 0 when it is not waiting; guarded by windowLock. */
    private int senderNeeds;
    private final AtomicInteger inUse = new AtomicInteger();
    private final Thread sender;
    private volatile boolean closed;
    private volatile boolean senderStarted;

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
        this.window = config.window;
        this.burst = Math.max(1, window / 8);
        this.responseTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.responseTimeoutMs);
        this.sender = new Thread(this::sendLoop, "smpp-submit-" + config.name);
        this.sender.setDaemon(true);
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
     * link is bound the part goes straight to the sender's queue, otherwise via the context to wait for it.
     */
    void submit(MessageJob job) {
        Attempt first = job.first();
        if (!closed && link.current() != null) {
            startSender();
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

    /** Stops the sender; parts not yet sent fail with "closed". */
    void close() {
        closed = true;
        sender.interrupt();
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
        startSender();
        queue.add(attempt);
        if (closed) {
            failQueued();
        }
    }

    private void startSender() {
        if (senderStarted) {
            return;
        }
        synchronized (sender) {
            if (!senderStarted && !closed) {
                sender.start();
                senderStarted = true;
            }
        }
    }

    /**
     * Sender thread: take the queued parts the window has room for, wait for their tokens, write
     * them, and look for overdue responses every {@link #SWEEP_INTERVAL_NANOS}.
     */
    private void sendLoop() {
        List<Attempt> batch = new ArrayList<>(window);
        long nextSweep = System.nanoTime() + SWEEP_INTERVAL_NANOS;
        try {
            while (!closed) {
                Attempt first = queue.poll(SWEEP_INTERVAL_NANOS, TimeUnit.NANOSECONDS);
                if (System.nanoTime() - nextSweep >= 0) {
                    expireOverdue();
                    nextSweep = System.nanoTime() + SWEEP_INTERVAL_NANOS;
                }
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int slots = awaitSlots(1 + queue.size());
                queue.drainTo(batch, slots - 1); // only this thread takes: the queue has them
                sendThrottled(batch);
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            batch.forEach(a -> a.job.fail(closedException()));
        }
    }

    /** Sender thread: blocks until the window has room, then holds up to {@code wanted} slots. */
    private int awaitSlots(int wanted) throws InterruptedException {
        int needed = Math.min(burst, wanted);
        windowLock.lock();
        try {
            while (window - outstanding < needed) {
                senderNeeds = needed;
                if (!windowFreed.await(SWEEP_INTERVAL_NANOS, TimeUnit.NANOSECONDS)) {
                    windowLock.unlock();
                    try {
                        expireOverdue(); // the window is full of submits that may never be answered
                    } finally {
                        windowLock.lock();
                    }
                }
            }
            senderNeeds = 0;
            int slots = Math.min(window - outstanding, wanted);
            outstanding += slots;
            inUse.set(outstanding);
            return slots;
        } finally {
            windowLock.unlock();
        }
    }

    /** Any thread: a submit was answered (or never written); its slot is free. */
    private void releaseSlot() {
        windowLock.lock();
        try {
            outstanding--;
            inUse.set(outstanding);
            if (senderNeeds > 0 && window - outstanding >= senderNeeds) {
                senderNeeds = 0;
                windowFreed.signal();
            }
        } finally {
            windowLock.unlock();
        }
    }

    /**
     * Sender thread: writes the parts, each after its token (a part that must wait flushes those
     * before it), and empties the batch; interrupted, the batch keeps the parts not written.
     */
    private void sendThrottled(List<Attempt> batch) throws InterruptedException {
        int from = 0;
        for (int i = 0; i < batch.size(); i++) {
            long waitNanos = bucket.reserve(1);
            if (waitNanos > 0) {
                write(batch.subList(from, i));
                from = i;
                try {
                    TimeUnit.NANOSECONDS.sleep(waitNanos);
                } catch (InterruptedException e) {
                    batch.subList(0, from).clear();
                    throw e;
                }
            }
        }
        write(batch.subList(from, batch.size()));
        batch.clear();
    }

    /** Sender thread: one socket write for the parts; each is answered later through its {@link PartSubmit}. */
    private void write(List<Attempt> parts) {
        if (parts.isEmpty()) {
            return;
        }
        SmppLink.Bound bound = closed ? null : link.current();
        if (bound == null) {
            for (Attempt attempt : parts) {
                releaseSlot();
                inbox.post(() -> decide(attempt, new Answer(null, NOT_BOUND, -1)));
            }
            return;
        }
        List<PartSubmit> submits = new ArrayList<>(parts.size());
        long now = System.currentTimeMillis();
        for (Attempt attempt : parts) {
            if (attempt.firstSentAt == 0) {
                attempt.firstSentAt = now;
            }
            attempt.lastSentNanos = bucket.now();
            submits.add(new PartSubmit(attempt, bound.generation()));
        }
        bound.transmitter().writeSubmits(submits);
    }

    /** Sender thread: answers the submits of the current session whose response is overdue. */
    private void expireOverdue() {
        SmppLink.Bound bound = link.current();
        if (bound != null) {
            bound.transmitter().expireOverdue(responseTimeoutNanos);
        }
    }

    /** One written part, waiting for its answer. */
    private final class PartSubmit extends AbortableSmppSession.AsyncSubmit {
        private final Attempt attempt;
        private final long generation;
        private final long started = System.nanoTime();

        PartSubmit(Attempt attempt, long generation) {
            super(config.responseTimeoutMs);
            this.attempt = attempt;
            this.generation = generation;
        }

        @Override
        void compose(PDUSender pduSender, OutputStream out, int sequenceNumber) throws PDUException, IOException {
            SmsPart part = attempt.part;
            String source = attempt.sms.sourceOverride() != null ? attempt.sms.sourceOverride() : config.sourceAddress;
            String destination = attempt.sms.destination().startsWith("+")
                    ? attempt.sms.destination().substring(1) : attempt.sms.destination();
            pduSender.sendSubmitSm(out, sequenceNumber, "", sourceTon, sourceNpi, source, destTon, destNpi,
                    destination, new ESMClass(part.hasUdh() ? ESM_CLASS_UDHI : 0), (byte) 0, (byte) 1, null, null,
                    registeredDelivery, (byte) 0, dataCodings[attempt.dataCoding & 0xFF], (byte) 0,
                    part.shortMessageView()); // jSMPP only reads it
        }

        /** The jSMPP thread that read the response, the sender, or the thread that lost the link. */
        @Override
        void answered(Command response, Throwable failure) {
            releaseSlot();
            if (failure == null && response.getCommandStatus() == SMPPConstant.STAT_ESME_ROK) {
                metrics.responseLatency(System.nanoTime() - started);
                Attempt next = accepted(attempt, ((SubmitSmResp) response).getMessageId());
                if (next != null) {
                    queue.addFirst(next);
                    if (closed) {
                        failQueued();
                    }
                }
                return;
            }
            if (response != null) {
                metrics.responseLatency(System.nanoTime() - started);
            }
            Throwable why = failure != null ? failure : new NegativeResponseException(response.getCommandStatus());
            inbox.post(() -> decide(attempt, new Answer(null, why, generation)));
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
