package org.qingfeng.sms.smpp;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (a uniform delay in [min, min(max, min * 2^attempt)]):
 * after an SMSC restart, many channels and servers reconnect spread out instead of in step.
 */
final class RebindBackoff {
    private final long minMs;
    private final long maxMs;

    RebindBackoff(long minMs, long maxMs) {
        this.minMs = minMs;
        this.maxMs = maxMs;
    }

    /** Delay before the given (0-based) reconnect attempt. */
    long delayMs(int attempt) {
        long ceiling = minMs << Math.min(attempt, 20);
        long cap = Math.max(minMs, Math.min(maxMs, ceiling));
        return minMs + ThreadLocalRandom.current().nextLong(cap - minMs + 1);
    }
}
