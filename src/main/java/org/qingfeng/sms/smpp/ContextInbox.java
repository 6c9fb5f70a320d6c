package org.qingfeng.sms.smpp;

import io.vertx.core.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands work from other threads (the submit sender, jSMPP's PDU threads) to the channel's
 * context in batches: one {@code runOnContext} wakes the event loop for everything posted
 * until it runs, instead of one wake-up per submit result or receipt. Tasks run in the order
 * they were posted. A drain runs at most {@value #MAX_BATCH} tasks, then yields the event loop.
 */
final class ContextInbox {
    private static final Logger log = LoggerFactory.getLogger(ContextInbox.class);
    private static final int MAX_BATCH = 256;

    private final Context context;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    ContextInbox(Context context) {
        this.context = context;
    }

    /** Any thread. */
    void post(Runnable task) {
        tasks.add(task);
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    private void drain() {
        scheduled.set(false);
        for (int i = 0; i < MAX_BATCH; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("channel task failed", e);
            }
        }
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }
}
