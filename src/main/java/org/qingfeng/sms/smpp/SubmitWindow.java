package org.qingfeng.sms.smpp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The channel's window: at most {@code size} submit_sm outstanding. The one sender takes slots
 * before it writes; any thread gives one back when a submit is answered. The sender waits for
 * {@code burst} free slots (or fewer, when it has fewer parts to send): a full window frees one
 * slot per response, and a sender woken per slot paid a thread wake-up and a socket write per part.
 */
final class SubmitWindow {
    private final int size;
    private final int burst;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    /** Written under lock; volatile so that {@link #inUse()} (metrics) reads it without. */
    private volatile int outstanding;
    /** Free slots the sender waits for, 0 when it is not waiting; guarded by lock. */
    private int senderNeeds;

    SubmitWindow(int size) {
        this.size = size;
        this.burst = Math.max(1, size / 8);
    }

    /**
     * Sender thread: waits until the window has room, then takes up to {@code wanted} slots.
     * While it waits, {@code whileWaiting} runs every {@code tickNanos} (outside the lock).
     *
     * @return the slots taken, at least 1
     */
    int take(int wanted, long tickNanos, Runnable whileWaiting) throws InterruptedException {
        int needed = Math.min(burst, wanted);
        lock.lock();
        try {
            while (size - outstanding < needed) {
                senderNeeds = needed;
                if (!freed.await(tickNanos, TimeUnit.NANOSECONDS)) {
                    lock.unlock();
                    try {
                        whileWaiting.run();
                    } finally {
                        lock.lock();
                    }
                }
            }
            senderNeeds = 0;
            int slots = Math.min(size - outstanding, wanted);
            outstanding += slots;
            return slots;
        } finally {
            lock.unlock();
        }
    }

    /** Any thread: one submit was answered (or never written). */
    void release() {
        lock.lock();
        try {
            outstanding--;
            if (senderNeeds > 0 && size - outstanding >= senderNeeds) {
                senderNeeds = 0;
                freed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Submits outstanding or about to be written. Any thread. */
    int inUse() {
        return outstanding;
    }
}
