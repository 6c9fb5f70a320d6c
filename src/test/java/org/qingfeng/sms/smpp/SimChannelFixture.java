package org.qingfeng.sms.smpp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.qingfeng.sim.SimulatorOptions;
import org.qingfeng.sim.SmscSimulator;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.events.SmsEventPublisher;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** One Vert.x, one in-process SMSC simulator and one SmppChannel bound to it, for connector tests. */
final class SimChannelFixture implements AutoCloseable {
    static final String GSM = "Qingfeng reminder: festivals are for family, not for gifts. Keep it clean.";
    static final String CHINESE = "【余庆县纪委】节日将至，请廉洁过节，拒收红包礼金。";
    static final String CHINESE_THREE_PARTS = "【余庆县纪委】廉洁过节提醒：" + "严禁公款吃喝、公款旅游，严禁收送礼品礼金。".repeat(7);
    /** GSM-7 with extension characters (2 septets each), two parts. */
    static final String GSM_TWO_PARTS = "Clean festival {rules}: no gifts over 0 EUR [none], no banquets | no cards ~ "
            + "report to 12388. ".repeat(5) + "Thank you!";

    final Vertx vertx = Vertx.vertx();
    final InMemorySmsEventPublisher memory = new InMemorySmsEventPublisher();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SmscSimulator simulator;
    SmppChannel channel;

    SimChannelFixture(SimulatorOptions options) throws Exception {
        simulator = SmscSimulator.start(options.port(0).httpPort(-1));
    }

    static SimulatorOptions defaults() {
        return new SimulatorOptions().receiptDelayMs(10).seed(7);
    }

    static String text(int i) {
        return switch (i % 4) {
            case 0 -> GSM;
            case 1 -> CHINESE;
            case 2 -> CHINESE_THREE_PARTS;
            default -> GSM_TWO_PARTS;
        };
    }

    static String destination(int i) {
        return "86139" + String.format("%08d", i);
    }

    static int parts(String text) {
        try {
            return new SmsEncoder().encode(text, 0).parts();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    ChannelConfig config(String name, Object... overrides) {
        Map<String, Object> yaml = new HashMap<>();
        yaml.put("host", "127.0.0.1");
        yaml.put("port", simulator.port());
        yaml.put("system_id", "qingfeng");
        yaml.put("source_address", "106900001234");
        yaml.put("rebind_backoff_min_ms", 20);
        yaml.put("rebind_backoff_max_ms", 200);
        yaml.put("response_timeout_ms", 5000);
        for (int i = 0; i < overrides.length; i += 2) {
            yaml.put((String) overrides[i], overrides[i + 1]);
        }
        return ChannelConfig.fromMap(name, yaml, Map.of(ChannelConfig.defaultPasswordEnv(name), "secret"));
    }

    SmppChannel start(Object... overrides) throws Exception {
        return start(memory, new SmsEncoder(), overrides);
    }

    SmppChannel start(SmsEventPublisher publisher, SmsEncoder encoder, Object... overrides) throws Exception {
        channel = new SmppChannel(vertx, config("sim", overrides), publisher, registry, ZoneId.of("Asia/Shanghai"), encoder);
        await(channel.start().compose(v -> channel.awaitBound()));
        return channel;
    }

    /** Sends message i = 0..n-1 with {@link #text(int)} to {@link #destination(int)}, all at once. */
    List<SubmitOutcome> sendAll(int messages) throws Exception {
        List<Future<SubmitOutcome>> futures = new ArrayList<>(messages);
        for (int i = 0; i < messages; i++) {
            futures.add(channel.submit(new OutboundSms("m-" + i, "+" + destination(i), text(i))));
        }
        await(Future.all(futures));
        return futures.stream().map(Future::result).toList();
    }

    static int totalParts(int messages) {
        int total = 0;
        for (int i = 0; i < messages; i++) {
            total += parts(text(i));
        }
        return total;
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    static boolean waitFor(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public void close() throws Exception {
        try {
            if (channel != null) {
                await(channel.close());
            }
        } finally {
            simulator.close();
            await(vertx.close());
        }
    }
}
