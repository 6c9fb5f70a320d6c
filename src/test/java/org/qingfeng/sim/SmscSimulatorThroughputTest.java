package org.qingfeng.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Loopback check that the simulator keeps up with a sender using a window of 50 outstanding
 * submit_sm on one session, with receipts interleaved. The assertion floor is far below the
 * measured rate so a busy CI machine does not fail it; the rate is printed for the record.
 */
class SmscSimulatorThroughputTest {

    private static final int WINDOW = 50;
    private static final int SUBMITS = 20_000;

    @BeforeAll
    static void quietLogs() {
        TestLogs.quiet();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void handlesThousandsOfSubmitsPerSecondWithAWindowOf50() throws Exception {
        SimulatorOptions options = new SimulatorOptions().port(0).httpPort(-1).receiptDelayMs(0).seed(7);
        ExecutorService window = Executors.newFixedThreadPool(WINDOW);
        try (SmscSimulator smsc = SmscSimulator.start(options);
                SmppTestClient client = SmppTestClient.bind(smsc.port(), "qingfeng", "secret")) {
            byte[] text = "Spring Festival: keep it clean".getBytes(StandardCharsets.US_ASCII);
            runWindow(window, client, text, 2_000); // warm-up: JIT and connection buffers

            long started = System.nanoTime();
            runWindow(window, client, text, SUBMITS);
            double seconds = (System.nanoTime() - started) / 1e9;
            double rate = SUBMITS / seconds;
            System.out.printf("SMSC simulator loopback: %d submit_sm in %.2f s = %.0f/s (window %d, receipts on)%n",
                    SUBMITS, seconds, rate, WINDOW);

            assertThat(smsc.ledger().submits()).isEqualTo(SUBMITS + 2_000);
            assertThat(rate).isGreaterThan(1_000);
            TestLogs.await(() -> smsc.summary().receiptsSent == SUBMITS + 2_000);
            System.out.printf("receipts sent: %d%n", smsc.summary().receiptsSent);
        } finally {
            window.shutdownNow();
        }
    }

    private static void runWindow(ExecutorService window, SmppTestClient client, byte[] text, int total)
            throws Exception {
        AtomicInteger remaining = new AtomicInteger(total);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < WINDOW; w++) {
            workers.add(window.submit(() -> {
                int n;
                while ((n = remaining.decrementAndGet()) >= 0) {
                    client.submit("1380" + (1_000_000 + n), 0, (byte) 0, text, SmppTestClient.RECEIPT_REQUESTED);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
    }
}
