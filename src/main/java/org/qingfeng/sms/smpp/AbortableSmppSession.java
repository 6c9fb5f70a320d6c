package org.qingfeng.sms.smpp;

import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.PDUSender;
import org.jsmpp.bean.Command;
import org.jsmpp.extra.PendingResponse;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.connection.ConnectionFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.StampedLock;
import java.util.function.IntConsumer;

/**
 * A jSMPP session that pipelines submit_sm: {@link #writeSubmits} composes a batch of them with
 * jSMPP's PDU sender, writes the batch in one socket write and returns; each response reaches
 * its {@link AsyncSubmit} on the jSMPP thread that read it, through jSMPP's own response
 * dispatch ({@link #removePendingResponse} is where jSMPP looks a response's request up).
 * jSMPP's {@code submitShortMessage} would hold a thread per outstanding submit, parked until
 * its response, and write each submit with its own system call: on a 2-core host those wake-ups
 * and writes were most of the connector's cost per part.
 *
 * <p>It knows exactly which submit_sm are <em>in flight</em>: written to the socket (or being
 * written) and not yet answered. When the link is lost those are the submits whose outcome is
 * unknown: {@link #abortPendingRequests} answers each with {@link LinkLostException} and
 * reports how many there were to {@code inFlightAtLoss}, whichever thread aborts (the state
 * listener after jSMPP's reader saw the link go, or the sender whose write failed). Writes hold
 * the read side of a lock and the abort its write side, and no submit is written after the
 * abort, so the count is exact. It also wakes jSMPP's own blocked requests (enquire_link,
 * unbind), which jSMPP 3.0 leaves waiting out their whole timeout when the session closes.
 */
final class AbortableSmppSession extends SMPPSession {
    private final Map<Integer, AsyncSubmit> inFlight = new ConcurrentHashMap<>();
    private final StampedLock abortLock = new StampedLock();
    /** Written under the write side, read under the read side (volatile for {@link #isLost()}). */
    private volatile boolean aborted;

    private final IntConsumer inFlightAtLoss;

    AbortableSmppSession(ConnectionFactory connectionFactory, IntConsumer inFlightAtLoss) {
        super(connectionFactory);
        this.inFlightAtLoss = inFlightAtLoss;
    }

    /**
     * Whether the link was seen to go (closed, unbound, or a failed write). jSMPP's state alone
     * cannot say: when the SMSC closes right after its bind_resp, the reader closes the session
     * and the binding thread then sets it bound again.
     */
    boolean isLost() {
        return aborted || !getSessionState().isBound();
    }

    /**
     * A submit_sm written without waiting for its response. It is answered exactly once, on
     * whichever thread learns the answer: the response (positive or negative), or why none will
     * come (link lost, response timeout, an unreadable response, a PDU that could not be composed).
     */
    abstract static class AsyncSubmit extends PendingResponse<Command> {
        private final AtomicBoolean answered = new AtomicBoolean();
        private int sequenceNumber;
        private long writtenAtNanos;
        /** The session's submits in flight, once this one is among them. */
        private Map<Integer, AsyncSubmit> inFlight;

        AsyncSubmit(long timeoutMs) {
            super(timeoutMs);
        }

        /** Composes this submit_sm, with the given sequence number, into {@code out}. */
        abstract void compose(PDUSender sender, OutputStream out, int sequenceNumber) throws PDUException, IOException;

        /** The answer: a response (its command_status may be an error), or a failure. Exactly once. */
        abstract void answered(Command response, Throwable failure);

        @Override
        public final void done(Command response) {
            answer(response, null);
        }

        @Override
        public final void doneWithInvalidResponse(InvalidResponseException e) {
            answer(null, e);
        }

        /** When this submit was composed for its write (0 if it never was). */
        final long writtenAtNanos() {
            return writtenAtNanos;
        }

        /** @return whether this was the answer (false: it had been answered already) */
        final boolean fail(Throwable failure) {
            return answer(null, failure);
        }

        /**
         * Leaves the map of submits in flight only when answered: a response jSMPP could not
         * decompose is looked up (and generic_nacked) but never answered, and must stay there for
         * {@link #expireOverdue} to find.
         */
        private boolean answer(Command response, Throwable failure) {
            if (!answered.compareAndSet(false, true)) {
                return false;
            }
            if (inFlight != null) {
                inFlight.remove(sequenceNumber, this);
            }
            answered(response, failure);
            return true;
        }
    }

    /**
     * Writes the submits in one socket write and returns without waiting for their responses.
     * Every submit of the batch is answered exactly once, later or (a submit not written: the
     * session is not bound, was aborted, or the PDU could not be composed) before this returns.
     * A failed write closes the session: its submits may have reached the SMSC, so they are
     * answered as in flight at the loss of the link. Not on an event loop: the write blocks
     * while the socket's send buffer is full.
     */
    void writeSubmits(List<? extends AsyncSubmit> batch) {
        if (!getSessionState().isTransmittable()) {
            IOException notBound = new IOException("session is " + getSessionState() + ", not bound to transmit");
            batch.forEach(submit -> submit.fail(notBound));
            return;
        }
        PduBuffer buffer = new PduBuffer(batch.size() * 192);
        IOException writeFailure = null;
        long stamp = abortLock.readLock();
        try {
            if (aborted) {
                IOException lost = new IOException("SMPP link lost before the submit was written");
                batch.forEach(submit -> submit.fail(lost));
                return;
            }
            for (AsyncSubmit submit : batch) {
                int sequenceNumber = sequence().nextValue();
                int mark = buffer.size();
                try {
                    submit.compose(pduSender(), buffer, sequenceNumber);
                } catch (PDUException | IOException | RuntimeException e) {
                    buffer.truncate(mark); // not half a PDU on the wire
                    submit.fail(e instanceof IOException ? new PDUException("cannot compose submit_sm", e) : e);
                    continue;
                }
                submit.sequenceNumber = sequenceNumber;
                submit.writtenAtNanos = System.nanoTime();
                submit.inFlight = inFlight;
                inFlight.put(sequenceNumber, submit);
            }
            if (buffer.size() > 0) {
                OutputStream out = connection().getOutputStream();
                synchronized (out) { // jSMPP's own writers (responses, enquire_link) lock the stream
                    buffer.writeTo(out);
                    out.flush();
                }
            }
        } catch (IOException e) {
            writeFailure = e;
        } finally {
            abortLock.unlockRead(stamp);
        }
        if (writeFailure != null) {
            close(); // as jSMPP does when a write fails; the state listener aborts what is in flight
            abortPendingRequests(0);
        }
    }

    /** jSMPP composes into any stream; this one can drop a PDU it failed to finish. */
    private static final class PduBuffer extends ByteArrayOutputStream {
        PduBuffer(int size) {
            super(size);
        }

        void truncate(int size) {
            count = size;
        }
    }

    /** Where jSMPP looks up the request a response answers: a pipelined submit first. */
    @Override
    protected PendingResponse<Command> removePendingResponse(int sequenceNumber) {
        AsyncSubmit submit = inFlight.get(sequenceNumber); // leaves the map once answered
        return submit != null ? submit : super.removePendingResponse(sequenceNumber);
    }

    /**
     * Answers with {@link ResponseTimeoutException} every submit written more than
     * {@code timeoutNanos} ago and still unanswered: the SMSC may have it (outcome unknown).
     */
    void expireOverdue(long timeoutNanos) {
        long now = System.nanoTime();
        for (AsyncSubmit submit : inFlight.values()) {
            if (now - submit.writtenAtNanos > timeoutNanos) {
                submit.fail(new ResponseTimeoutException("No response after " + timeoutNanos / 1_000_000
                        + " ms for submit_sm with sequence_number " + submit.sequenceNumber));
            }
        }
    }

    /**
     * Answers every submit in flight with {@link LinkLostException}, stops further submits from
     * being written, and wakes jSMPP's own waiting requests, found by scanning back
     * {@code lookBack} sequence numbers.
     *
     * <p>How many submit_sm were in flight (written, unanswered) and are now outcome-unknown goes
     * to {@code inFlightAtLoss} here, not to the caller: the sender (on a failed write) and the
     * state listener (on the reader seeing the link go) can both abort, each answering what the
     * other has not, and until 2026-12-07 the sender's share went uncounted (SmppMustHoldTest
     * saw 245 outcome-unknown against 200 counted in flight).
     */
    void abortPendingRequests(int lookBack) {
        int lost = 0;
        long stamp = abortLock.writeLock();
        try {
            aborted = true;
            for (AsyncSubmit submit : inFlight.values()) {
                if (submit.fail(new LinkLostException())) {
                    lost++;
                }
            }
        } finally {
            abortLock.unlockWrite(stamp);
        }
        if (lost > 0) {
            inFlightAtLoss.accept(lost);
        }
        int next = sequence().currentValue();
        for (int i = 0; i <= lookBack; i++) {
            int seq = next - i;
            if (seq < 1) {
                seq += Integer.MAX_VALUE - 1; // jSMPP wraps from 0x7FFFFFFF back to 1
            }
            PendingResponse<Command> pending = super.removePendingResponse(seq);
            if (pending != null) {
                pending.doneWithInvalidResponse(new LinkLostException());
            }
        }
    }
}
