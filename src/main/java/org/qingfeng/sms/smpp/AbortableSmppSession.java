package org.qingfeng.sms.smpp;

import org.jsmpp.bean.Command;
import org.jsmpp.extra.PendingResponse;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.connection.ConnectionFactory;

/**
 * jSMPP 3.0 does not wake requests waiting for a response when the session closes: each
 * blocked submit waits out its whole response timeout, holding a window slot and a worker
 * thread. This session wakes them at once with {@link LinkLostException}.
 */
final class AbortableSmppSession extends SMPPSession {
    AbortableSmppSession(ConnectionFactory connectionFactory) {
        super(connectionFactory);
    }

    /**
     * Fails every request still waiting. Outstanding requests carry the most recent sequence
     * numbers (the window bounds how many), so scanning back {@code lookBack} numbers finds all.
     *
     * @return how many were woken
     */
    int abortPendingRequests(int lookBack) {
        int next = sequence().currentValue();
        int aborted = 0;
        for (int i = 0; i <= lookBack; i++) {
            int seq = next - i;
            if (seq < 1) {
                seq += Integer.MAX_VALUE - 1; // jSMPP wraps from 0x7FFFFFFF back to 1
            }
            PendingResponse<Command> pending = removePendingResponse(seq);
            if (pending != null) {
                pending.doneWithInvalidResponse(new LinkLostException());
                aborted++;
            }
        }
        return aborted;
    }
}
