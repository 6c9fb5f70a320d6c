package org.qingfeng.sms.smpp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The channel's meters. Dotted names become Prometheus names such as
 * {@code qingfeng_smpp_outcome_unknown_total{channel="cmcc"}}.
 */
final class SmppMetrics {
    private final MeterRegistry registry;
    private final String channel;
    private final AtomicInteger bound = new AtomicInteger();
    private final Counter outcomeUnknown;
    private final Counter inFlightAtLinkLoss;
    private final Timer responseLatency;
    /** Per-tag counters, looked up once: a registry lookup per part is measurable at thousands per second. */
    private final Map<String, Counter> submits = new ConcurrentHashMap<>();
    private final Map<String, Counter> receipts = new ConcurrentHashMap<>();

    SmppMetrics(MeterRegistry registry, String channel, Supplier<Number> windowInUse) {
        this.registry = registry;
        this.channel = channel;
        Gauge.builder("qingfeng.smpp.bound", bound, AtomicInteger::get)
                .description("1 while the channel is bound").tag("channel", channel).register(registry);
        Gauge.builder("qingfeng.smpp.window.in.use", windowInUse)
                .description("submit_sm outstanding or about to be sent").tag("channel", channel).register(registry);
        outcomeUnknown = Counter.builder("qingfeng.smpp.outcome.unknown")
                .description("submits whose response never came (link lost or response timeout)").tag("channel", channel).register(registry);
        inFlightAtLinkLoss = Counter.builder("qingfeng.smpp.inflight.at.link.loss")
                .description("submit_sm written and unanswered when a link was lost").tag("channel", channel)
                .register(registry);
        responseLatency = Timer.builder("qingfeng.smpp.response.latency")
                .description("submit_sm to submit_sm_resp").tag("channel", channel)
                .publishPercentileHistogram().register(registry);
    }

    void bound(boolean isBound) {
        bound.set(isBound ? 1 : 0);
    }

    /** One submit_sm answered (or given up on): result is submitted, rejected or outcome_unknown. */
    void submit(String result) {
        submits.computeIfAbsent(result, r -> Counter.builder("qingfeng.smpp.submits").tag("channel", channel)
                .tag("result", r).register(registry)).increment();
    }

    /** ESME_RTHROTTLED or ESME_RMSGQFUL. */
    void throttled(int commandStatus) {
        Counter.builder("qingfeng.smpp.throttled").tag("channel", channel)
                .tag("command_status", String.format("0x%02X", commandStatus)).register(registry).increment();
    }

    void responseLatency(long nanos) {
        responseLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void receipt(String state) {
        receipts.computeIfAbsent(state, s -> Counter.builder("qingfeng.smpp.receipts").tag("channel", channel)
                .tag("state", s).register(registry)).increment();
    }

    void inbound() {
        Counter.builder("qingfeng.smpp.inbound").tag("channel", channel).register(registry).increment();
    }

    void outcomeUnknown() {
        outcomeUnknown.increment();
    }

    void inFlightAtLinkLoss(int submits) {
        inFlightAtLinkLoss.increment(submits);
    }

    double inFlightAtLinkLossCount() {
        return inFlightAtLinkLoss.count();
    }

    double outcomeUnknownCount() {
        return outcomeUnknown.count();
    }

    void publishFailed() {
        Counter.builder("qingfeng.smpp.publish.failures").tag("channel", channel).register(registry).increment();
    }
}
