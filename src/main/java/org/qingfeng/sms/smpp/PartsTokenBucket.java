package org.qingfeng.sms.smpp;

import java.util.function.LongSupplier;

/**
 * A per-channel token bucket that counts SMS <em>parts</em> (each part is one submit_sm and
 * one unit of the operator's contracted rate), as a reservation scheduler (GCRA): a caller
 * reserves n parts and is told how long to wait. Reservations are granted in call order, so
 * waiting callers keep their order without a queue in here.
 *
 * <p>It adapts to the SMSC: {@link #throttled(long)} halves the effective rate, but only for a
 * refusal of a part sent after the previous slow-down (a whole window of responses says
 * "throttled" at once, and refusals of parts sent at the old rate say nothing about the new
 * one; on a slow machine they trickle in for longer than any fixed debounce), and at most once
 * per {@value #SLOWDOWN_DEBOUNCE_MS} ms. {@link #queueFull()} pauses all sending with a doubling
 * backoff. Each quiet second
 * after that raises the rate by a quarter until it is back at the configured one.
 */
public final class PartsTokenBucket {
    static final long SLOWDOWN_DEBOUNCE_MS = 250;
    private static final double MIN_RATE = 1.0;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MAX_QUEUE_FULL_PAUSE_MS = 5_000;

    private final LongSupplier nanoClock;
    /** Configured parts per second; 0 = unlimited. */
    private final double configuredRate;
    private final double burst;

    /** Current rate; 0 = unlimited. */
    private double rate;
    /** The rate to recover to; differs from configuredRate only for unlimited channels. */
    private double recoveryTarget;
    private long theoreticalArrival;
    private long pausedUntil;
    private long lastSlowdown;
    private long lastRecoveryStep;
    /** Volatile so that {@link #accepted()}, once per part, can skip the lock when there is nothing to reset. */
    private volatile int consecutiveQueueFull;
    private long measureStart;
    private long measuredParts;
    private double lastMeasuredRate;

    public PartsTokenBucket(int partsPerSecond) {
        this(partsPerSecond, System::nanoTime);
    }

    public PartsTokenBucket(int partsPerSecond, LongSupplier nanoClock) {
        if (partsPerSecond < 0) {
            throw new IllegalArgumentException("partsPerSecond must be >= 0");
        }
        this.nanoClock = nanoClock;
        this.configuredRate = partsPerSecond;
        this.rate = partsPerSecond;
        this.recoveryTarget = partsPerSecond;
        // A twentieth of a second of burst: enough to absorb timer jitter, too little to break a contract.
        this.burst = Math.max(1.0, Math.ceil(partsPerSecond / 20.0));
        long now = nanoClock.getAsLong();
        this.theoreticalArrival = now;
        this.pausedUntil = now;
        this.measureStart = now;
        this.lastSlowdown = now - 3_600 * NANOS_PER_SECOND; // "long ago", safe to subtract from
    }

    /** Reserves {@code parts} and returns how many nanoseconds the caller must wait before sending them. */
    public synchronized long reserve(int parts) {
        long now = nanoClock.getAsLong();
        recover(now);
        measure(now, parts);
        long start = Math.max(now, pausedUntil);
        if (rate <= 0) {
            return start - now;
        }
        long interval = (long) (NANOS_PER_SECOND / rate);
        long tat = Math.max(theoreticalArrival, start);
        long newTat = tat + parts * interval;
        long sendAt = Math.max(start, newTat - (long) (burst * interval));
        theoreticalArrival = newTat;
        return sendAt - now;
    }

    /** Now on this bucket's clock, for stamping when a part was sent. */
    public long now() {
        return nanoClock.getAsLong();
    }

    /**
     * The SMSC answered ESME_RTHROTTLED to a part sent at {@code sentAtNanos} (this bucket's
     * clock): halve the rate, unless that part went out before the last slow-down.
     */
    public synchronized void throttled(long sentAtNanos) {
        long now = nanoClock.getAsLong();
        if (sentAtNanos - lastSlowdown < 0 || now - lastSlowdown < SLOWDOWN_DEBOUNCE_MS * 1_000_000L) {
            return;
        }
        lastSlowdown = now;
        lastRecoveryStep = now;
        if (rate <= 0) {
            // Unlimited channel: start from what it was actually doing, and come back to unlimited later.
            // The last estimate can be missing or stale: a burst after an idle spell is throttled
            // before its first 100 ms are measured, and halving "nothing measured" set the channel to
            // one part per second (a 1,000-part test then ran for a minute). The burst's own rate
            // so far counts too.
            double observed = Math.max(MIN_RATE * 2, Math.max(lastMeasuredRate, currentWindowRate(now)));
            rate = Math.max(MIN_RATE, observed / 2);
            recoveryTarget = observed * 2;
        } else {
            rate = Math.max(MIN_RATE, rate / 2);
        }
        theoreticalArrival = Math.max(theoreticalArrival, now);
    }

    /** The SMSC answered ESME_RMSGQFUL: pause everything for a doubling backoff. */
    public synchronized void queueFull() {
        long now = nanoClock.getAsLong();
        long pauseMs = Math.min(MAX_QUEUE_FULL_PAUSE_MS, 100L << Math.min(consecutiveQueueFull, 10));
        consecutiveQueueFull++;
        pausedUntil = Math.max(pausedUntil, now + pauseMs * 1_000_000L);
    }

    /** A submit was accepted: the SMSC's queue has room again. */
    public void accepted() {
        if (consecutiveQueueFull != 0) {
            synchronized (this) {
                consecutiveQueueFull = 0;
            }
        }
    }

    /** Current effective rate in parts per second; 0 = unlimited. */
    public synchronized double currentRate() {
        recover(nanoClock.getAsLong());
        return rate;
    }

    public double configuredRate() {
        return configuredRate;
    }

    private void recover(long now) {
        while (rate > 0 && rate < recoveryTarget && now - lastRecoveryStep >= NANOS_PER_SECOND) {
            lastRecoveryStep += NANOS_PER_SECOND;
            rate = Math.min(recoveryTarget, rate * 1.25 + 1);
            if (rate >= recoveryTarget && configuredRate == 0) {
                rate = 0; // back to unlimited
                recoveryTarget = 0;
            }
        }
    }

    /** Parts reserved since the measuring window began, per second (at least 10 ms of it counted). */
    private double currentWindowRate(long now) {
        long elapsed = Math.max(now - measureStart, NANOS_PER_SECOND / 100);
        return measuredParts * (double) NANOS_PER_SECOND / elapsed;
    }

    /** Tracks the granted rate over roughly the last second, for slowing down an unlimited channel. */
    private void measure(long now, int parts) {
        measuredParts += parts;
        long elapsed = now - measureStart;
        if (elapsed >= NANOS_PER_SECOND) {
            lastMeasuredRate = measuredParts * (double) NANOS_PER_SECOND / elapsed;
            measuredParts = 0;
            measureStart = now;
        } else if (elapsed >= NANOS_PER_SECOND / 10) {
            lastMeasuredRate = Math.max(lastMeasuredRate, measuredParts * (double) NANOS_PER_SECOND / elapsed);
        }
    }
}
