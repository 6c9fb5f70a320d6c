package org.qingfeng.sms.smpp;

import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.Command;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.PendingResponse;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.SendCommandTask;
import org.jsmpp.session.connection.ConnectionFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;

/**
 * jSMPP 3.0 does not wake requests waiting for a response when the session closes: each
 * blocked submit waits out its whole response timeout, holding a window slot and a worker
 * thread. This session wakes them at once with {@link LinkLostException}.
 *
 * <p>It also knows exactly which submit_sm are <em>in flight</em>: written to the socket and
 * not yet answered. When the link is lost, those are the submits whose outcome is unknown,
 * and {@link #abortPendingRequests} reports how many there were. Writes hold the read side of
 * a lock and the abort its write side, and no submit is written after the abort, so the count
 * is exact. (A read side, not one monitor: the window's submit loops write concurrently, and
 * jSMPP serialises the socket writes itself; a monitor here made 50 threads queue twice. A
 * StampedLock, not a ReentrantReadWriteLock: the latter keeps a per-thread read count in a
 * ThreadLocal, looked up on every lock and unlock, once per submit on 50 threads.)
 */
final class AbortableSmppSession extends SMPPSession {
    private static final String SUBMIT_SM = "submit_sm";

    private final Set<Integer> writtenSubmits = ConcurrentHashMap.newKeySet();
    private final StampedLock abortLock = new StampedLock();
    /** Written under the write side, read under the read side. */
    private boolean aborted;

    AbortableSmppSession(ConnectionFactory connectionFactory) {
        super(connectionFactory);
    }

    @Override
    protected Command executeSendCommand(SendCommandTask task, long timeout) throws PDUException,
            ResponseTimeoutException, InvalidResponseException, NegativeResponseException, IOException {
        if (!SUBMIT_SM.equals(task.getCommandName())) {
            return super.executeSendCommand(task, timeout);
        }
        TrackedSubmit tracked = new TrackedSubmit(task);
        try {
            return super.executeSendCommand(tracked, timeout);
        } finally {
            if (tracked.written != 0) {
                writtenSubmits.remove(tracked.written);
            }
        }
    }

    /**
     * A submit_sm that notes its sequence number once written, under the read side of the abort
     * lock. One object per submit (it was an anonymous task plus an int[] for the number).
     */
    private final class TrackedSubmit implements SendCommandTask {
        private final SendCommandTask task;
        /** Set on the submitting thread, read by it after the call returns. */
        int written;

        TrackedSubmit(SendCommandTask task) {
            this.task = task;
        }

        @Override
        public void executeTask(OutputStream out, int sequenceNumber) throws PDUException, IOException {
            long stamp = abortLock.readLock();
            try {
                if (aborted) {
                    throw new IOException("SMPP link lost before the submit was written");
                }
                task.executeTask(out, sequenceNumber);
                writtenSubmits.add(sequenceNumber);
                written = sequenceNumber;
            } finally {
                abortLock.unlockRead(stamp);
            }
        }

        @Override
        public String getCommandName() {
            return task.getCommandName();
        }
    }

    /**
     * Fails every request still waiting and stops further submits from being written. Requests
     * that were never written (and enquire_links) are woken by scanning back {@code lookBack}
     * sequence numbers; outstanding requests carry the most recent ones, the window bounds how many.
     *
     * @return how many submit_sm were in flight (written, unanswered) and are now outcome-unknown;
     *         0 when called again
     */
    int abortPendingRequests(int lookBack) {
        int inFlight = 0;
        long stamp = abortLock.writeLock();
        try {
            aborted = true;
            for (Integer seq : writtenSubmits) {
                PendingResponse<Command> pending = removePendingResponse(seq);
                if (pending != null) {
                    pending.doneWithInvalidResponse(new LinkLostException());
                    inFlight++;
                }
            }
        } finally {
            abortLock.unlockWrite(stamp);
        }
        int next = sequence().currentValue();
        for (int i = 0; i <= lookBack; i++) {
            int seq = next - i;
            if (seq < 1) {
                seq += Integer.MAX_VALUE - 1; // jSMPP wraps from 0x7FFFFFFF back to 1
            }
            PendingResponse<Command> pending = removePendingResponse(seq);
            if (pending != null) {
                pending.doneWithInvalidResponse(new LinkLostException());
            }
        }
        return inFlight;
    }
}
