package org.qingfeng.sms.smpp;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.PDUSender;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Command;
import org.jsmpp.bean.SubmitSmResp;
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
import java.util.concurrent.atomic.AtomicBoolean;

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
 * where {@link RefusedParts} decides: retry after a slow-down, retry after a backoff, resubmit
 * after a lost link (waiting for the rebind), or fail. A retried part goes to the back of the queue and its
 * successors wait for it, so the parts of one message go out in order, a throttled part
 * before its successors. The queue holds only parts of messages the callers have in flight.
 * Context only, except where a method says "sender thread" or "any thread".
 */
final class PartSubmitter {
    private static final Logger log = LoggerFactory.getLogger(PartSubmitter.class);

    /** One part's progress through its attempts. Handed between threads only through queues and maps that order the accesses. */
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

    /** How often the sender looks for submits whose response is overdue. */
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ChannelConfig config;
    private final SmppLink link;
    private final PartsTokenBucket bucket;
    private final SmppMetrics metrics;
    private final SmscIdNormalizer normalizer;
    private final SubmitSmComposer composer;
    private final ContextInbox inbox;
    private final Context context;
    private final SubmitWindow window;
    private final RefusedParts refused;
    private final long responseTimeoutNanos;
    /** Parts waiting to be sent, in order; a message's next part goes first. Only the sender takes. */
    private final LinkedBlockingDeque<Attempt> queue = new LinkedBlockingDeque<>();
    private final Thread sender;
    private volatile boolean closed;
    private final AtomicBoolean senderStarted = new AtomicBoolean();

    PartSubmitter(Vertx vertx, Context context, ChannelConfig config, SmppLink link, PartsTokenBucket bucket,
                  ContextInbox inbox, SmppMetrics metrics, SmscIdNormalizer normalizer) {
        this.context = context;
        this.config = config;
        this.link = link;
        this.bucket = bucket;
        this.inbox = inbox;
        this.metrics = metrics;
        this.normalizer = normalizer;
        this.composer = new SubmitSmComposer(config);
        this.window = new SubmitWindow(config.window);
        this.refused = new RefusedParts(vertx, config, link, bucket, metrics, this::start);
        this.responseTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.responseTimeoutMs);
        this.sender = new Thread(this::sendLoop, "smpp-submit-" + config.name);
        this.sender.setDaemon(true);
    }

    /**
     * Queues a message's first part; the job's future tells the outcome. Any thread: while the
     * link is bound the part goes straight to the sender's queue, otherwise via the context to wait for it.
     */
    void submit(MessageJob job) {
        Attempt first = job.first();
        if (!closed && link.current() != null) {
            enqueue(first, false);
        } else {
            context.runOnContext(v -> start(first));
        }
    }

    /** Submits outstanding or about to be written. Any thread. */
    int inUse() {
        return window.inUse();
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
        enqueue(attempt, false);
    }

    /** Any thread: to the sender; a message's next part goes first, anything else to the back. */
    private void enqueue(Attempt attempt, boolean first) {
        startSender();
        if (first) {
            queue.addFirst(attempt);
        } else {
            queue.add(attempt);
        }
        if (closed) {
            failQueued(); // close() may have drained the queue just before the add
        }
    }

    private void startSender() {
        if (!senderStarted.get() && senderStarted.compareAndSet(false, true)) {
            sender.start(); // closed before it ran: it returns at once
        }
    }

    /**
     * Sender thread: take the queued parts the window has room for, wait for their tokens, write
     * them, and look for overdue responses every {@link #SWEEP_INTERVAL_NANOS}.
     */
    private void sendLoop() {
        List<Attempt> batch = new ArrayList<>(config.window);
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
                int slots = window.take(1 + queue.size(), SWEEP_INTERVAL_NANOS, this::expireOverdue);
                queue.drainTo(batch, slots - 1); // only this thread takes: the queue has them
                try {
                    sendThrottled(batch);
                } catch (RuntimeException e) {
                    // A bug, not an SMSC answer (those travel inside each submit's answer): the
                    // sender stays alive, and the parts it could not hand over fail rather than hang.
                    log.error("channel {}: sender failed on a batch of {} parts", config.name, batch.size(), e);
                    batch.forEach(a -> a.job.fail(e));
                    batch.clear();
                }
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            batch.forEach(a -> a.job.fail(closedException()));
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
                window.release();
                inbox.post(() -> start(attempt)); // the link dropped before the write: wait for the rebind, no retry spent
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

        PartSubmit(Attempt attempt, long generation) {
            super(config.responseTimeoutMs);
            this.attempt = attempt;
            this.generation = generation;
        }

        @Override
        void compose(PDUSender pduSender, OutputStream out, int sequenceNumber) throws PDUException, IOException {
            composer.compose(pduSender, out, sequenceNumber, attempt.sms, attempt.part, attempt.dataCoding);
        }

        /** The jSMPP thread that read the response, the sender, or the thread that lost the link. */
        @Override
        void answered(Command response, Throwable failure) {
            window.release();
            if (response != null) {
                metrics.responseLatency(System.nanoTime() - writtenAtNanos());
            }
            if (failure == null && response instanceof SubmitSmResp accepted
                    && response.getCommandStatus() == SMPPConstant.STAT_ESME_ROK) {
                Attempt next = accepted(attempt, accepted.getMessageId());
                if (next != null) {
                    enqueue(next, true);
                }
                return;
            }
            Throwable why = failure != null ? failure
                    : response.getCommandStatus() != SMPPConstant.STAT_ESME_ROK
                    ? new NegativeResponseException(response.getCommandStatus())
                    : new InvalidResponseException("expected submit_sm_resp, got command " + response.getCommandIdAsHex());
            inbox.post(() -> refused.decide(attempt, why, generation));
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
        return attempt.job.partDone(RefusedParts.outcome(attempt, SmsEvent.STATUS_SUBMITTED, normalizer.normalize(smscId), 0));
    }
}
