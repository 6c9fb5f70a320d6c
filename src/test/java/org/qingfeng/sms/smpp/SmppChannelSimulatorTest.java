package org.qingfeng.sms.smpp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.sim.FaultOptions;
import org.qingfeng.sim.SimulatorOptions;
import org.qingfeng.sim.SmscSimulator;
import org.qingfeng.sms.events.SmsEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The connector against the shared in-process SMSC simulator (org.qingfeng.sim). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmppChannelSimulatorTest {
    private static final String GSM = "Qingfeng reminder: festivals are for family, not for gifts. Keep it clean.";
    private static final String CHINESE = "【余庆县纪委】节日将至，请廉洁过节，拒收红包礼金。";
    private static final String THREE_PARTS = "【余庆县纪委】廉洁过节提醒：" + "严禁公款吃喝、公款旅游，严禁收送礼品礼金。".repeat(7);

    private Vertx vertx;
    private SmscSimulator simulator;
    private final InMemorySmsEventPublisher publisher = new InMemorySmsEventPublisher();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SmppChannel channel;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        simulator = SmscSimulator.start(new SimulatorOptions().port(0).receiptDelayMs(10).seed(7));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (channel != null) {
            await(channel.close());
        }
        simulator.close();
        await(vertx.close());
    }

    private void startChannel() throws Exception {
        Map<String, Object> yaml = new HashMap<>();
        yaml.put("host", "127.0.0.1");
        yaml.put("port", simulator.port());
        yaml.put("system_id", "qingfeng");
        yaml.put("source_address", "106900001234");
        yaml.put("rebind_backoff_min_ms", 20);
        yaml.put("rebind_backoff_max_ms", 200);
        yaml.put("response_timeout_ms", 5000);
        channel = new SmppChannel(vertx, ChannelConfig.fromMap("sim", yaml, Map.of("QINGFENG_SMPP_SIM_PASSWORD", "secret")),
                publisher, registry);
        await(channel.start().compose(v -> channel.awaitBound()));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(55, TimeUnit.SECONDS);
    }

    private static String destination(int i) {
        return "86139" + String.format("%08d", i);
    }

    private static int parts(int i) {
        return i % 3 == 2 ? 3 : 1;
    }

    private List<SubmitOutcome> sendAll(int messages) throws Exception {
        List<Future<SubmitOutcome>> futures = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            String text = i % 3 == 0 ? GSM : i % 3 == 1 ? CHINESE : THREE_PARTS;
            futures.add(channel.submit(new OutboundSms("m-" + i, "+" + destination(i), text)));
        }
        await(Future.all(futures));
        return futures.stream().map(Future::result).toList();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    private long distinctReceipts() {
        return publisher.ofType(SmsEvent.TYPE_RECEIPT).stream().map(r -> r.eventId).distinct().count();
    }

    @Test
    void submitsTwoThousandMixedMessagesExactlyOnceAndPublishesEveryReceipt() throws Exception {
        startChannel();
        long started = System.nanoTime();
        List<SubmitOutcome> outcomes = sendAll(2_000);
        double seconds = (System.nanoTime() - started) / 1e9;
        int total = 0;
        Map<String, Integer> ledger = simulator.ledger().submitsPerDestination();
        for (int i = 0; i < 2_000; i++) {
            total += parts(i);
            assertThat(outcomes.get(i).accepted()).as(outcomes.get(i).toString()).isTrue();
            assertThat(ledger.get(destination(i))).as(destination(i)).isEqualTo(parts(i));
        }
        System.out.printf("simulator: 2000 messages / %d parts in %.2f s = %.0f parts/s%n", total, seconds, total / seconds);
        int expected = total;
        assertThat(simulator.ledger().submits()).isEqualTo(expected);
        waitFor(() -> distinctReceipts() >= expected);
        assertThat(distinctReceipts()).isEqualTo(expected);
        assertThat(publisher.ofType(SmsEvent.TYPE_SUBMIT_RESULT)).hasSize(expected);
    }

    @Test
    void rebindsAfterDroppedLinksAndEveryMessageIsAccepted() throws Exception {
        simulator.setFaults(FaultOptions.none().dropLinkEverySubmits(200));
        startChannel();
        List<SubmitOutcome> outcomes = sendAll(600);
        assertThat(outcomes).allMatch(SubmitOutcome::accepted);
        int resubmits = outcomes.stream().flatMap(o -> o.parts().stream()).mapToInt(PartOutcome::outcomeUnknownResubmits).sum();
        long unknown = channel.outcomeUnknownCount();
        int total = 0;
        for (int i = 0; i < 600; i++) {
            total += parts(i);
        }
        int extra = simulator.ledger().submits() - total;
        System.out.printf("simulator drops: outcome-unknown=%d resubmits=%d extra submits in ledger=%d%n", unknown, resubmits, extra);
        assertThat(unknown).isPositive();
        assertThat(resubmits).isEqualTo((int) unknown);
        assertThat(extra).isBetween(0, resubmits);
        Map<String, Integer> ledger = simulator.ledger().submitsPerDestination();
        for (int i = 0; i < 600; i++) {
            assertThat(ledger.get(destination(i))).isGreaterThanOrEqualTo(parts(i));
        }
    }

    @Test
    void receiptsBeforeTheirResponsesArePublishedAndMatched() throws Exception {
        // Default simulator threads (8 per session) under our window of 50: the early receipts
        // must not tie up the PDU threads that read our deliver_sm_resp.
        simulator.close();
        simulator = SmscSimulator.start(new SimulatorOptions().port(0).receiptDelayMs(10).seed(7)
                .faults(FaultOptions.none().receiptBeforeResponse(true)));
        startChannel();
        sendAll(300);
        Map<String, String> messageBySmscId = publisher.ofType(SmsEvent.TYPE_SUBMIT_RESULT).stream()
                .collect(Collectors.toMap(e -> e.smscId, e -> e.messageId));
        waitFor(() -> distinctReceipts() >= messageBySmscId.size());
        Map<String, List<SmsEvent>> receipts = publisher.ofType(SmsEvent.TYPE_RECEIPT).stream()
                .collect(Collectors.groupingBy(e -> e.smscId));
        assertThat(receipts.keySet()).isEqualTo(messageBySmscId.keySet());
        receipts.forEach((smscId, copies) -> assertThat(copies)
                .anySatisfy(r -> assertThat(r.messageId).isEqualTo(messageBySmscId.get(smscId))));
    }
}
