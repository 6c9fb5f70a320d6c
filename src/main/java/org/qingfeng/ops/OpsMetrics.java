package org.qingfeng.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus meters for what the ops page shows (names in README, "Prometheus metrics"):
 * qingfeng_ops_messages_total{outcome}, qingfeng_ops_delivery_rate, qingfeng_ops_campaign_messages
 * {campaign_id,stage}, qingfeng_ops_campaign_progress{campaign_id}, qingfeng_ops_led_screens{state},
 * qingfeng_ops_alerts{kind}, qingfeng_ops_stream_clients and the collector's own health.
 */
final class OpsMetrics {
  private static final String[] OUTCOMES = {"submitted", "delivered", "failed", "unknown"};
  private static final String[] ALERT_KINDS = {"channel_unbound", "delivery_rate_low", "screens_offline"};
  private final AtomicLong[] totals = new AtomicLong[OUTCOMES.length];
  private final AtomicReference<Double> deliveryRate = new AtomicReference<>(Double.NaN);
  private final AtomicLong online = new AtomicLong();
  private final AtomicLong offline = new AtomicLong();
  private final AtomicLong[] alerts = new AtomicLong[ALERT_KINDS.length];
  private final MultiGauge campaignMessages;
  private final MultiGauge campaignProgress;
  private final Counter slowDisconnects;
  private final Counter revokedDisconnects;
  private final Counter collectFailures;
  private final Timer collect;

  OpsMetrics(MeterRegistry registry, OpsStream stream) {
    for (int i = 0; i < OUTCOMES.length; i++) {
      totals[i] = new AtomicLong();
      FunctionCounter.builder("qingfeng.ops.messages", totals[i], AtomicLong::get).tag("outcome", OUTCOMES[i])
          .description("messages by outcome, all campaigns (from the receipt statistics)").register(registry);
    }
    Gauge.builder("qingfeng.ops.delivery.rate", deliveryRate, AtomicReference::get)
        .description("delivered / accepted, all campaigns").register(registry);
    Gauge.builder("qingfeng.ops.led.screens", online, AtomicLong::get).tag("state", "online")
        .description("active LED screens by health").register(registry);
    Gauge.builder("qingfeng.ops.led.screens", offline, AtomicLong::get).tag("state", "offline")
        .description("active LED screens by health").register(registry);
    for (int i = 0; i < ALERT_KINDS.length; i++) {
      alerts[i] = new AtomicLong();
      Gauge.builder("qingfeng.ops.alerts", alerts[i], AtomicLong::get).tag("kind", ALERT_KINDS[i])
          .description("alerts firing now, by kind").register(registry);
    }
    campaignMessages = MultiGauge.builder("qingfeng.ops.campaign.messages")
        .description("funnel of each live campaign: queued, sending, submitted, delivered, failed, unknown").register(registry);
    campaignProgress = MultiGauge.builder("qingfeng.ops.campaign.progress")
        .description("share of a live campaign's messages no longer queued (0..1)").register(registry);
    Gauge.builder("qingfeng.ops.stream.clients", stream, OpsStream::size)
        .description("clients connected to /api/v1/ops/stream on this instance").register(registry);
    slowDisconnects = Counter.builder("qingfeng.ops.stream.slow.disconnects")
        .description("stream clients disconnected because they stopped reading").register(registry);
    revokedDisconnects = Counter.builder("qingfeng.ops.stream.revoked.disconnects")
        .description("stream clients whose token was revoked while they watched").register(registry);
    collectFailures = Counter.builder("qingfeng.ops.collect.failures")
        .description("collector ticks that failed (database unavailable, ...)").register(registry);
    collect = Timer.builder("qingfeng.ops.collect.duration").description("time to compute one ops snapshot")
        .register(registry);
  }

  void update(JsonObject totalsJson, JsonArray campaigns, JsonObject led, JsonArray alertList) {
    for (int i = 0; i < OUTCOMES.length; i++) {
      totals[i].set(totalsJson.getLong(OUTCOMES[i], 0L));
    }
    Double rate = totalsJson.getDouble("delivery_rate");
    deliveryRate.set(rate == null ? Double.NaN : rate);
    online.set(led.getLong("online", 0L));
    offline.set(led.getLong("offline", 0L));
    for (int i = 0; i < ALERT_KINDS.length; i++) {
      String kind = ALERT_KINDS[i];
      alerts[i].set(alertList.stream().filter(a -> kind.equals(((JsonObject) a).getString("kind"))).count());
    }
    List<MultiGauge.Row<?>> messages = new ArrayList<>();
    List<MultiGauge.Row<?>> progress = new ArrayList<>();
    for (Object o : campaigns) {
      JsonObject c = (JsonObject) o;
      String id = Long.toString(c.getLong("id"));
      JsonObject funnel = c.getJsonObject("funnel");
      for (String stage : funnel.fieldNames()) {
        messages.add(MultiGauge.Row.of(Tags.of("campaign_id", id, "stage", stage), funnel.getLong(stage)));
      }
      progress.add(MultiGauge.Row.of(Tags.of("campaign_id", id), c.getDouble("progress")));
    }
    campaignMessages.register(messages, true);
    campaignProgress.register(progress, true);
  }

  void slowDisconnect() {
    slowDisconnects.increment();
  }

  void revokedDisconnects(int count) {
    revokedDisconnects.increment(count);
  }

  void collectFailed() {
    collectFailures.increment();
  }

  void collected(long nanos) {
    collect.record(Duration.ofNanos(nanos));
  }
}
