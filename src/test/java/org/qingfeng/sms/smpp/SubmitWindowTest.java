package org.qingfeng.sms.smpp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubmitWindowTest {
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(20);

    @Test
    void neverHandsOutMoreSlotsThanItsSize() throws Exception {
        SubmitWindow window = new SubmitWindow(50);
        assertThat(window.take(30, TICK, () -> { })).isEqualTo(30);
        assertThat(window.take(100, TICK, () -> { })).isEqualTo(20);
        assertThat(window.inUse()).isEqualTo(50);
        window.release();
        assertThat(window.inUse()).isEqualTo(49);
    }

    @Test
    void aFullWindowWakesTheSenderOnlyOnceABurstOfSlotsIsFree() throws Exception {
        SubmitWindow window = new SubmitWindow(50); // burst 6
        window.take(50, TICK, () -> { });
        CompletableFuture<Integer> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return window.take(40, TimeUnit.SECONDS.toNanos(5), () -> { });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < 5; i++) {
            window.release();
        }
        Thread.sleep(200);
        assertThat(taken).isNotDone();
        window.release();
        assertThat(taken.get(5, TimeUnit.SECONDS)).isEqualTo(6);
        assertThat(window.inUse()).isEqualTo(50);
    }

    @Test
    void waitsForFewerSlotsWhenFewerPartsAreWantedAndTicksWhileWaiting() throws Exception {
        SubmitWindow window = new SubmitWindow(50);
        window.take(50, TICK, () -> { });
        AtomicInteger ticks = new AtomicInteger();
        CompletableFuture<Integer> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return window.take(1, TICK, ticks::incrementAndGet);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(150);
        assertThat(ticks.get()).isPositive(); // e.g. the sweep of overdue responses
        window.release();
        assertThat(taken.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    }
}
