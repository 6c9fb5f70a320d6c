package org.qingfeng.sim;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Tells the thread that writes a PDU when its bytes are on the socket. jSMPP's blocking
 * deliverShortMessage writes the deliver_sm and then waits for the deliver_sm_resp; a
 * receipt sent before its submit_sm_resp only needs the first half before the response may
 * go out. The sending thread arms a callback; the socket stream of every simulator connection
 * runs it right after that thread's next complete write.
 */
final class WriteSignal {

    private static final ThreadLocal<Runnable> ARMED = new ThreadLocal<>();

    private WriteSignal() {
    }

    /** Runs {@code afterWrite} once, after the calling thread's next PDU write completes. */
    static void arm(Runnable afterWrite) {
        ARMED.set(afterWrite);
    }

    static void disarm() {
        ARMED.remove();
    }

    /** Wraps a socket's output stream so that writes fire the writing thread's armed callback. */
    static OutputStream wrap(OutputStream socketOut) {
        return new FilterOutputStream(socketOut) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                fire();
            }

            @Override
            public void write(byte[] b) throws IOException {
                write(b, 0, b.length);
            }
        };
    }

    private static void fire() {
        Runnable callback = ARMED.get();
        if (callback != null) {
            ARMED.remove();
            callback.run();
        }
    }
}
