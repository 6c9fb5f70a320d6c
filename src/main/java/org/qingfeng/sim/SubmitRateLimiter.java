package org.qingfeng.sim;

/**
 * Token bucket holding at most one second's worth of submits, refilled continuously; what a
 * carrier gateway enforces per account. Synchronized: one short critical section per submit is
 * far below the cost of the PDU itself.
 */
final class SubmitRateLimiter {

    private final double tokensPerNano;
    private final double capacity;
    private double tokens;
    private long lastRefill;

    private SubmitRateLimiter(int perSecond) {
        this.tokensPerNano = perSecond / 1e9;
        this.capacity = perSecond;
        this.tokens = perSecond;
        this.lastRefill = System.nanoTime();
    }

    /** Returns null when unlimited (0), so callers skip the check entirely. */
    static SubmitRateLimiter perSecond(int perSecond) {
        return perSecond <= 0 ? null : new SubmitRateLimiter(perSecond);
    }

    synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - lastRefill) * tokensPerNano);
        lastRefill = now;
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }
}
