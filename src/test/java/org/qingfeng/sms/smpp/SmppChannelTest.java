package org.qingfeng.sms.smpp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.sms.events.SmsEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The connector end to end against an in-process SMSC. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmppChannelTest {
    private static final String GSM = "Qingfeng reminder: festivals are for family, not for gifts. Keep it clean.";
    private static final String CHINESE = "【余庆县纪委】节日将至，请廉洁过节，拒收红包礼金。";
    private static final String THREE_PARTS = ("【余庆县纪委】廉洁过节提醒：严禁公款吃喝、公款旅游、违规发放津贴补贴，"
            + "严禁收送礼品礼金、消费卡和电子红包，严禁违规操办婚丧喜庆事宜。请广大党员干部自觉遵守纪律规矩，"
            + "过一个风清气正的节日。如发现违规问题，请拨打举报电话12388或登录县纪委监委网站反映。"
            + "清风传家训，廉洁伴我行，祝您节日快乐、阖家幸福！");

    private Vertx vertx;
    private TestSmsc smsc;
    private InMemorySmsEventPublisher publisher;
    private SimpleMeterRegistry registry;
    private SmppChannel channel;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        smsc = new TestSmsc();
        publisher = new InMemorySmsEventPublisher();
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (channel != null) {
            await(channel.close());
        }
        smsc.close();
        await(vertx.close());
    }

    private SmppChannel start(Object... overrides) throws Exception {
        Map<String, Object> yaml = new HashMap<>();
        yaml.put("host", "127.0.0.1");
        yaml.put("port", smsc.port());
        yaml.put("system_id", "qingfeng");
        yaml.put("source_address", "106900001234");
        yaml.put("rebind_backoff_min_ms", 20);
        yaml.put("rebind_backoff_max_ms", 200);
        yaml.put("response_timeout_ms", 5000);
        for (int i = 0; i < overrides.length; i += 2) {
            yaml.put((String) overrides[i], overrides[i + 1]);
        }
        ChannelConfig config = ChannelConfig.fromMap("test", yaml, Map.of("QINGFENG_SMPP_TEST_PASSWORD", "secret"));
        channel = new SmppChannel(vertx, config, publisher, registry);
        await(channel.start().compose(v -> channel.awaitBound()));
        return channel;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(55, TimeUnit.SECONDS);
    }

    private static String text(int i) {
        return switch (i % 3) {
            case 0 -> GSM;
            case 1 -> CHINESE;
            default -> THREE_PARTS;
        };
    }

    private List<SubmitOutcome> sendAll(int messages) throws Exception {
        List<Future<SubmitOutcome>> futures = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            futures.add(channel.submit(new OutboundSms("m-" + i, "+86138" + String.format("%08d", i), text(i))));
        }
        await(Future.all(futures));
        return futures.stream().map(Future::result).toList();
    }

    private static int parts(int i) {
        return i % 3 == 2 ? 3 : 1;
    }

    private static int totalParts(int messages) {
        int total = 0;
        for (int i = 0; i < messages; i++) {
            total += parts(i);
        }
        return total;
    }

    private void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void sendsTwoThousandMixedMessagesExactlyOnceAndPublishesEveryReceipt() throws Exception {
        start();
        assertThat(THREE_PARTS.length()).isBetween(135, 201); // UCS-2: 3 parts of 67
        long started = System.nanoTime();
        List<SubmitOutcome> outcomes = sendAll(2_000);
        double seconds = (System.nanoTime() - started) / 1e9;
        int expectedParts = 0;
        for (int i = 0; i < 2_000; i++) {
            expectedParts += parts(i);
            assertThat(outcomes.get(i).accepted()).as(outcomes.get(i).toString()).isTrue();
            assertThat(outcomes.get(i).parts()).hasSize(parts(i));
            assertThat(smsc.submitsPerDestination.get("86138" + String.format("%08d", i)).get()).isEqualTo(parts(i));
        }
        int total = expectedParts;
        System.out.printf("2000 messages / %d parts in %.2f s = %.0f parts/s%n", total, seconds, total / seconds);
        assertThat(smsc.submits.get()).isEqualTo(total);
        waitFor(() -> publisher.ofType(SmsEvent.TYPE_RECEIPT).stream().map(r -> r.eventId).distinct().count() >= total);
        assertThat(publisher.ofType(SmsEvent.TYPE_SUBMIT_RESULT)).hasSize(total);
        // A receipt that beat its submit response is published twice under one event id:
        // at once, and again with our message id once the response arrived.
        List<SmsEvent> receipts = publisher.ofType(SmsEvent.TYPE_RECEIPT);
        assertThat(receipts.stream().map(r -> r.eventId).distinct()).hasSize(total);
        assertThat(receipts).allSatisfy(r -> assertThat(r.status).isEqualTo("DELIVERED"));
        assertThat(receipts.stream().filter(r -> r.messageId != null).map(r -> r.smscId).distinct()).hasSize(total);
        assertThat(registry.get("qingfeng.smpp.receipts").tag("state", "DELIVERED").counter().count()).isEqualTo(total);
    }

    @Test
    void holdsAConfiguredRateWithinTenPercent() throws Exception {
        start("parts_per_second", 200);
        sendAll(600); // 800 parts: 4 s at 200/s
        List<Long> times = smsc.submitTimesNanos;
        // Measure the steady state: from the 100th part to the last.
        double seconds = (times.get(times.size() - 1) - times.get(100)) / 1e9;
        double rate = (times.size() - 101) / seconds;
        System.out.printf("configured 200 parts/s, measured %.1f parts/s%n", rate);
        assertThat(rate).isBetween(180.0, 220.0);
    }

    @Test
    void slowsDownWhenTheSmscThrottlesAndStillSendsEverything() throws Exception {
        smsc.maxSubmitsPerSecond = 300;
        start();
        List<SubmitOutcome> outcomes = sendAll(600);
        assertThat(outcomes).allMatch(SubmitOutcome::accepted);
        assertThat(smsc.throttled.get()).isPositive();
        assertThat(smsc.submits.get()).isEqualTo(totalParts(600));
        assertThat(registry.get("qingfeng.smpp.throttled").counter().count()).isPositive();
    }

    @Test
    void rebindsAfterLinkDropsAndResubmitsWhatWasInFlight() throws Exception {
        smsc.dropLinkEverySubmits = 150;
        start();
        Set<ChannelState> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        channel.onStateChange(seen::add);
        List<SubmitOutcome> outcomes = sendAll(600);
        assertThat(outcomes).allMatch(SubmitOutcome::accepted);
        assertThat(seen).contains(ChannelState.CONNECTING, ChannelState.BOUND);
        assertThat(smsc.drops.get()).isGreaterThanOrEqualTo(4);

        long unknown = channel.outcomeUnknownCount();
        int resubmits = outcomes.stream().flatMap(o -> o.parts().stream()).mapToInt(PartOutcome::outcomeUnknownResubmits).sum();
        int duplicates = smsc.submits.get() - totalParts(600);
        System.out.printf("drops=%d outcome-unknown=%d resubmits=%d duplicates seen by the SMSC=%d%n",
                smsc.drops.get(), unknown, resubmits, duplicates);
        assertThat(resubmits).isEqualTo((int) unknown);
        assertThat(registry.get("qingfeng.smpp.outcome.unknown").tag("channel", "test").counter().count())
                .isEqualTo(unknown);
        // Every drop swallows at least the submit that triggered it; the SMSC never sees more
        // duplicates than we resubmitted (some in-flight submits never reached it).
        assertThat(unknown).isGreaterThanOrEqualTo(smsc.drops.get());
        assertThat(duplicates).isBetween(smsc.drops.get(), resubmits);
        // Every message reached the SMSC at least once.
        for (int i = 0; i < 600; i++) {
            assertThat(smsc.submitsPerDestination.get("86138" + String.format("%08d", i)).get()).isGreaterThanOrEqualTo(parts(i));
        }
    }

    @Test
    void aLinkClosedBeforeItsBindResultReachesTheChannelIsBoundAgain() throws Exception {
        // A transmitter plus receiver binds the transmitter first. The SMSC drops it while it holds
        // the receiver's bind, so the channel hears of the close before it hears of the bind.
        smsc.dropFirstTransmitterBind.set(true);
        smsc.receiverBindDelayMs = 300;
        start("bind_mode", "transmitter_receiver");
        List<SubmitOutcome> outcomes = sendAll(20);
        assertThat(outcomes).allMatch(SubmitOutcome::accepted);
        assertThat(smsc.drops.get()).isEqualTo(1);
        assertThat(smsc.binds).containsExactly(BindType.BIND_TX, BindType.BIND_RX,
                BindType.BIND_TX, BindType.BIND_RX);
        assertThat(smsc.submits.get()).isEqualTo(totalParts(20));
        assertThat(channel.state()).isEqualTo(ChannelState.BOUND);
    }

    @Test
    void aBoundSessionLostWithoutNoticeIsFoundByTheNextSubmitAndBoundAgain() throws Exception {
        start();
        // Aborted but never closed: no state change, so no listener tells the link.
        channel.link().current().transmitter().abortPendingRequests(0);
        List<SubmitOutcome> outcomes = sendAll(20);
        assertThat(outcomes).allMatch(SubmitOutcome::accepted);
        assertThat(smsc.binds).containsExactly(BindType.BIND_TRX, BindType.BIND_TRX);
        assertThat(smsc.submits.get()).isEqualTo(totalParts(20));
    }

    @Test
    void aReceiptBeforeItsSubmitResponseIsPublishedAndMatched() throws Exception {
        smsc.receiptBeforeResponse = true;
        start();
        sendAll(300);
        int total = totalParts(300);
        waitFor(() -> publisher.ofType(SmsEvent.TYPE_RECEIPT).stream().map(e -> e.smscId).distinct().count() >= total);
        Map<String, String> resultIdBySmscId = publisher.ofType(SmsEvent.TYPE_SUBMIT_RESULT).stream()
                .collect(Collectors.toMap(e -> e.smscId, e -> e.messageId));
        assertThat(resultIdBySmscId).hasSize(total);
        Map<String, List<SmsEvent>> receiptsBySmscId = publisher.ofType(SmsEvent.TYPE_RECEIPT).stream()
                .collect(Collectors.groupingBy(e -> e.smscId));
        assertThat(receiptsBySmscId.keySet()).isEqualTo(resultIdBySmscId.keySet());
        receiptsBySmscId.forEach((smscId, receipts) -> {
            // Published at once (maybe without our id) and, once the response came, with it.
            assertThat(receipts).anySatisfy(r -> assertThat(r.messageId).isEqualTo(resultIdBySmscId.get(smscId)));
            assertThat(receipts.stream().map(r -> r.eventId).distinct()).hasSize(1);
        });
    }

    @Test
    void publishesMobileOriginatedMessages() throws Exception {
        start();
        smsc.sendMo("8613812345678", "106900001234", "退订");
        waitFor(() -> !publisher.inbound.isEmpty());
        assertThat(publisher.inbound).singleElement().satisfies(mo -> {
            assertThat(mo.text).isEqualTo("退订");
            assertThat(mo.source).isEqualTo("8613812345678");
            assertThat(mo.channel).isEqualTo("test");
            assertThat(mo.dataCoding).isEqualTo(8);
        });
    }

    @Test
    void aPermanentErrorFailsTheMessageWithTheSmppStatus() throws Exception {
        start();
        // 21 digits exceed the 20-octet destination_addr: jSMPP refuses before sending.
        SubmitOutcome outcome = await(channel.submit(new OutboundSms("bad", "+861381234567890123456789", GSM)));
        assertThat(outcome.accepted()).isFalse();
        assertThat(outcome.status()).isEqualTo("rejected");
    }
}
