package org.qingfeng.sms.smpp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PartsTokenBucketTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

    @Test
    void countsPartsNotMessages() {
        PartsTokenBucket bucket = new PartsTokenBucket(10, clock::get);
        // Burst is one part: a 3-part reservation's last part may go 0.2 s from now...
        assertThat(bucket.reserve(3)).isCloseTo((long) (0.2 * SECOND), within(SECOND / 100));
        // ...and the 3 parts used 0.3 s of budget: the next single part waits for all of it.
        assertThat(bucket.reserve(1)).isCloseTo((long) (0.3 * SECOND), within(SECOND / 100));
    }

    @Test
    void spacesReservationsAtTheConfiguredRateOnAVirtualClock() {
        PartsTokenBucket bucket = new PartsTokenBucket(200, clock::get);
        long start = clock.get();
        long lastSendAt = 0;
        for (int i = 0; i < 2_000; i++) {
            lastSendAt = clock.get() + Math.max(0, bucket.reserve(1));
        }
        double seconds = (lastSendAt - start) / (double) SECOND;
        assertThat(2_000 / seconds).isCloseTo(200.0, within(20.0));
    }

    @Test
    void holdsTheRateWithin10PercentInRealTime() throws Exception {
        PartsTokenBucket bucket = new PartsTokenBucket(200);
        int parts = 400;
        long start = System.nanoTime();
        for (int i = 0; i < parts; i++) {
            long wait = bucket.reserve(1);
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        double rate = parts / ((System.nanoTime() - start) / (double) SECOND);
        assertThat(rate).isBetween(180.0, 220.0);
    }

    @Test
    void anUnlimitedChannelThrottledEarlyInABurstAfterIdlingHalvesTheBurstsRateNotNothing() {
        PartsTokenBucket bucket = new PartsTokenBucket(0, clock::get);
        clock.addAndGet(5 * SECOND); // bound, then idle: the first reservation ends a near-empty window
        bucket.reserve(1);
        clock.addAndGet(SECOND / 50);
        for (int i = 0; i < 299; i++) {
            bucket.reserve(1);
        }
        long sent = clock.get();
        clock.addAndGet(SECOND / 100);
        bucket.throttled(sent);
        // 299 parts in 30 ms is ~10,000 parts/s; half of that, not the floor of 1 part/s.
        assertThat(bucket.currentRate()).isBetween(2_000.0, 10_000.0);
    }

    @Test
    void throttledHalvesTheRateOncePerBurstOfRefusalsAndRecovers() {
        PartsTokenBucket bucket = new PartsTokenBucket(400, clock::get);
        long sentEarly = clock.get();
        clock.addAndGet(1);
        bucket.throttled(sentEarly);
        bucket.throttled(sentEarly); // same burst of throttled responses: ignored
        assertThat(bucket.currentRate()).isEqualTo(200.0);
        clock.addAndGet(PartsTokenBucket.SLOWDOWN_DEBOUNCE_MS * 1_000_000L + 1);
        bucket.throttled(sentEarly); // sent at the old rate, refused late: says nothing about the new one
        assertThat(bucket.currentRate()).isEqualTo(200.0);
        bucket.throttled(clock.get());
        assertThat(bucket.currentRate()).isEqualTo(100.0);
        clock.addAndGet(SECOND);
        assertThat(bucket.currentRate()).isEqualTo(126.0);
        clock.addAndGet(10 * SECOND);
        assertThat(bucket.currentRate()).isEqualTo(400.0);
    }

    @Test
    void anUnlimitedChannelSlowsToHalfWhatItDidAndReturnsToUnlimited() {
        PartsTokenBucket bucket = new PartsTokenBucket(0, clock::get);
        for (int i = 0; i < 1_000; i++) {
            assertThat(bucket.reserve(1)).isLessThanOrEqualTo(0);
            clock.addAndGet(SECOND / 1_000); // 1000 parts/s
        }
        bucket.throttled(clock.get());
        assertThat(bucket.currentRate()).isBetween(450.0, 550.0);
        clock.addAndGet(30 * SECOND);
        assertThat(bucket.currentRate()).isEqualTo(0.0);
    }

    @Test
    void queueFullPausesEverySenderWithADoublingBackoff() {
        PartsTokenBucket bucket = new PartsTokenBucket(0, clock::get);
        bucket.queueFull();
        assertThat(bucket.reserve(1)).isEqualTo(100_000_000L);
        clock.addAndGet(100_000_000L);
        bucket.queueFull();
        assertThat(bucket.reserve(1)).isEqualTo(200_000_000L);
        bucket.accepted();
        clock.addAndGet(200_000_000L);
        bucket.queueFull();
        assertThat(bucket.reserve(1)).isEqualTo(100_000_000L);
    }
}
