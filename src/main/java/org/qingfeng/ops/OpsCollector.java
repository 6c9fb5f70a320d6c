package org.qingfeng.ops;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one collector of this instance: once a second it reads the ops picture (whatever the
 * number of clients), computes per-second rates and alerts, updates the meters, and publishes
 * the snapshot and the delta from the previous tick to every stream client. Each tick is
 * scheduled when the previous one has finished, at least a second after it started (a fixed-rate
 * timer runs a late tick and the next on-time one back to back), so deltas come at most once a
 * second.
 */
public final class OpsCollector extends VerticleBase {
  static final long TICK_MS = 1000;
  static final int SERIES_POINTS = 300;
  private static final Logger LOG = LoggerFactory.getLogger(OpsCollector.class);
  private static final List<String> SECTIONS = List.of("campaigns", "totals", "channels", "led", "alerts");

  private final OpsSources sources;
  private final OpsAlerts alerts;
  private final OpsStream stream;
  private final OpsMetrics metrics;
  private final RevokedTokenCheck revokedTokens;
  private final Deque<JsonObject> series = new ArrayDeque<>();
  private JsonObject previous;
  private long previousAt;
  private long seq;
  private volatile boolean stopped;
  private long timer = -1;
  private long lastFailureLog;

  OpsCollector(OpsSources sources, OpsAlerts alerts, OpsStream stream, OpsMetrics metrics,
      RevokedTokenCheck revokedTokens) {
    this.revokedTokens = revokedTokens;
    this.sources = sources;
    this.alerts = alerts;
    this.stream = stream;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setTimer(1, id -> tick());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void scheduleNext(long startedNanos) {
    if (stopped) {
      return;
    }
    long elapsedMs = (System.nanoTime() - startedNanos) / 1_000_000;
    timer = vertx.setTimer(Math.max(1, TICK_MS - elapsedMs), id -> tick());
  }

  private void tick() {
    revokedTokens.run();
    long started = System.nanoTime();
    Instant now = Instant.now();
    Future<JsonArray> campaigns = sources.campaigns(now);
    Future<JsonObject> totals = sources.totals();
    Future<JsonObject> led = sources.led(now);
    Future.all(campaigns, totals, led).onComplete(ar -> {
      scheduleNext(started);
      if (ar.failed()) {
        metrics.collectFailed();
        if (System.currentTimeMillis() - lastFailureLog > 60_000) {
          lastFailureLog = System.currentTimeMillis();
          LOG.warn("ops collector cannot read the picture now: {}", ar.cause().toString());
        }
        return;
      }
      publish(now, campaigns.result(), totals.result(), led.result());
      metrics.collected(System.nanoTime() - started);
    });
  }

  private void publish(Instant now, JsonArray campaigns, JsonObject totals, JsonObject led) {
    JsonArray channels = sources.channels();
    JsonArray alertList = alerts.evaluate(now, channels, totals, campaigns, led);
    JsonObject point = point(now.toEpochMilli(), totals);
    series.addLast(point);
    while (series.size() > SERIES_POINTS) {
      series.removeFirst();
    }
    JsonObject current = new JsonObject().put("campaigns", campaigns).put("totals", totals)
        .put("channels", channels).put("led", led).put("alerts", alertList);
    long base = seq;
    seq++;
    JsonObject snapshot = current.copy().put("seq", seq).put("at", now.toString())
        .put("series", new JsonArray(List.copyOf(series)));
    JsonObject delta = null;
    if (previous != null) {
      delta = new JsonObject().put("seq", seq).put("base", base).put("at", now.toString()).put("point", point);
      for (String section : SECTIONS) {
        if (!current.getValue(section).equals(previous.getValue(section))) {
          delta.put(section, current.getValue(section));
        }
      }
    }
    previous = current;
    previousAt = now.toEpochMilli();
    metrics.update(totals, campaigns, led, alertList);
    stream.publish(new OpsEvent(seq, base, SseClient.utf8(snapshot.encode()),
        delta == null ? null : SseClient.utf8(delta.encode())));
  }

  /** Per-second submitted / delivered / failed since the previous tick, and the delivery rate now. */
  private JsonObject point(long at, JsonObject totals) {
    JsonObject p = new JsonObject().put("t", at);
    JsonObject before = previous == null ? null : previous.getJsonObject("totals");
    double seconds = previous == null ? 0 : Math.max(0.001, (at - previousAt) / 1000.0);
    for (String k : new String[] {"submitted", "delivered", "failed"}) {
      long diff = before == null ? 0 : Math.max(0, totals.getLong(k) - before.getLong(k));
      p.put(k, before == null ? 0 : Math.round(diff / seconds * 10) / 10.0);
    }
    return p.put("delivery_rate", totals.getDouble("delivery_rate"));
  }
}
