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
        Promise<Void> next = waiters.pollFirst();
        if (next != null) {
            // The permit passes to the oldest waiter, on a fresh stack: a waiter that gives the permit
            // straight back (link down) would otherwise recurse through every waiter.
            context.runOnContext(v -> next.complete());
        } else {
            inUse--;
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
