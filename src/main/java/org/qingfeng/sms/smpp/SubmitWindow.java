package org.qingfeng.sms.smpp;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;

/**
 * At most {@code size} submit_sm outstanding on a session: an asynchronous, FIFO semaphore.
 * Waiters get a future instead of a blocked thread, so an event loop can wait on it.
 * Used from the channel's context only; the counters are volatile for the metrics gauge.
 */
final class SubmitWindow {
    private final Context context;
    private final int size;
    private final ArrayDeque<Promise<Void>> waiters = new ArrayDeque<>();
    private volatile int inUse;
    private int pendingReleases;
    private boolean releasing;

    SubmitWindow(Context context, int size) {
        this.context = context;
        this.size = size;
    }

    Future<Void> acquire() {
        if (inUse < size && waiters.isEmpty()) {
            inUse++;
            return Future.succeededFuture();
        }
        Promise<Void> waiter = Promise.promise();
        waiters.addLast(waiter);
        return waiter.future();
    }

    void release() {
        // The permit passes straight to the oldest waiter, without a trip through the event loop
        // (one per part at full speed). A waiter that gives the permit straight back (link down)
        // re-enters here: that release is queued and handed on by the outer loop, so the stack
        // stays flat however many waiters there are.
        pendingReleases++;
        if (releasing) {
            return;
        }
        releasing = true;
        try {
            while (pendingReleases > 0) {
                pendingReleases--;
                Promise<Void> next = waiters.pollFirst();
                if (next != null) {
                    next.complete();
                } else {
                    inUse--;
                }
            }
        } finally {
            releasing = false;
        }
    }

    int inUse() {
        return inUse;
    }

    int waiting() {
        return waiters.size();
    }

    int size() {
        return size;
    }
}
