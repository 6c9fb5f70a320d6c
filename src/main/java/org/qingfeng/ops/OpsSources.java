package org.qingfeng.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.qingfeng.campaign.Campaign;
import org.qingfeng.campaign.CampaignStatus;
import org.qingfeng.campaign.CampaignStore;
import org.qingfeng.campaign.LedgerStore;
import org.qingfeng.led.LedHealth;
import org.qingfeng.receipts.ReceiptQueries;
import org.qingfeng.receipts.StatsJson;
import org.qingfeng.sms.SmsChannels;
import org.qingfeng.sms.smpp.SmppChannel;

/**
 * Reads what the ops picture is made of, through the domains' own stores and queries: live
 * campaigns with their ledger progress and receipt statistics, message totals, this instance's
 * SMPP channels and their meters, and LED screen health.
 */
final class OpsSources {
  static final int MAX_CAMPAIGNS = 20;
  static final int MAX_OFFLINE_LISTED = 100;
  static final java.time.Duration RECENT = java.time.Duration.ofHours(1);
  private final CampaignStore campaigns;
  private final LedgerStore ledger;
  private final ReceiptQueries receipts;
  private final Supplier<SmsChannels> channels;
  private final LedHealth led;
  private final MeterRegistry registry;
  /**
   * Ledger progress of completed campaigns, which no longer changes (completion means no message
   * queued or submitting, and a sent message's ledger status is final): read once, not at every
   * tick for the hour they stay listed. The count by status scans the campaign's messages, and
   * for a finished 50,000-message campaign that was half the collector's PostgreSQL time during
   * the next blast. Kept only for campaigns still listed.
   */
  private final Map<Long, JsonObject> completedProgress = new HashMap<>();
  /** Per channel at the previous read: response-latency count and total ms, throttled, submits, time in s. */
  private final Map<String, double[]> previousMeters = new HashMap<>();

  OpsSources(CampaignStore campaigns, LedgerStore ledger, ReceiptQueries receipts, Supplier<SmsChannels> channels,
      LedHealth led, MeterRegistry registry) {
    this.campaigns = campaigns;
    this.ledger = ledger;
    this.receipts = receipts;
    this.channels = channels;
    this.led = led;
    this.registry = registry;
  }

  /**
   * Running, paused and scheduled campaigns, then those finished in the last hour (their receipts
   * still arrive), most {@link #MAX_CAMPAIGNS}, each with its funnel.
   */
  Future<JsonArray> campaigns(Instant now) {
    return Future.all(campaigns.active(), campaigns.page(CampaignStatus.SCHEDULED, null, MAX_CAMPAIGNS),
            campaigns.finishedSince(now.minus(RECENT), MAX_CAMPAIGNS))
        .compose(all -> {
          List<Campaign> live = new ArrayList<>(all.<List<Campaign>>resultAt(0));
          live.addAll(all.<List<Campaign>>resultAt(1));
          live.addAll(all.<List<Campaign>>resultAt(2));
          List<Future<JsonObject>> rows = new ArrayList<>();
          List<Campaign> listed = live.stream().limit(MAX_CAMPAIGNS).toList();
          completedProgress.keySet().retainAll(listed.stream().map(c -> c.id).toList());
          listed.forEach(c -> rows.add(campaign(c)));
          return Future.all(rows).map(done -> {
            JsonArray out = new JsonArray();
            rows.forEach(f -> out.add(f.result()));
            return out;
          });
        });
  }

  private Future<JsonObject> progress(Campaign c) {
    if (c.status != CampaignStatus.COMPLETED) {
      return ledger.progress(c.id);
    }
    JsonObject known = completedProgress.get(c.id);
    return known != null ? Future.succeededFuture(known)
        : ledger.progress(c.id).onSuccess(p -> completedProgress.put(c.id, p));
  }

  private Future<JsonObject> campaign(Campaign c) {
    Future<JsonObject> progress = progress(c);
    Future<ReceiptQueries.Stats> stats = receipts.stats(c.id, 0);
    return Future.all(progress, stats).map(v -> {
      JsonObject byLedger = progress.result().getJsonObject("by_status");
      JsonObject summary = StatsJson.summary(stats.result(), null);
      JsonObject byStatus = summary.getJsonObject("by_status");
      long messages = progress.result().getLong("messages");
      long waiting = byLedger.getLong("queued", 0L) + byLedger.getLong("submitting", 0L);
      // Sent by the sender but its SMSC answer not yet recorded by the receipt sink: without this
      // stage the funnel has a hole the size of the sink's lag while a blast runs.
      long sending = Math.max(0, messages - waiting - summary.getLong("messages"));
      JsonObject funnel = new JsonObject()
          .put("queued", waiting)
          .put("sending", sending)
          .put("submitted", summary.getLong("accepted"))
          .put("delivered", byStatus.getLong("delivered"))
          .put("failed", byStatus.getLong("failed") + byStatus.getLong("rejected"))
          .put("unknown", byStatus.getLong("unknown"));
      return new JsonObject()
          .put("id", c.id).put("name", c.name).put("status", c.status.wireName())
          .put("pause_reason", c.pauseReason).put("channel", c.channel)
          .put("send_at", c.sendAt == null ? null : c.sendAt.toString())
          .put("finished_at", c.finishedAt == null ? null : c.finishedAt.toString())
          .put("audience", Math.max(messages, c.audienceMatched))
          .put("messages", messages)
          .put("progress", messages == 0 ? 0.0 : (double) (messages - waiting) / messages)
          .put("funnel", funnel)
          // The same numbers as GET /api/v1/campaigns/{id}/stats: messages, by_status, delivery_rate.
          .put("stats", new JsonObject().put("messages", summary.getLong("messages")).put("by_status", byStatus)
              .put("accepted", summary.getLong("accepted")).put("delivery_rate", summary.getDouble("delivery_rate")));
    });
  }

  /** Totals over every message: submitted (accepted by an SMSC), delivered, failed (incl. rejected), unknown. */
  Future<JsonObject> totals() {
    return receipts.stats(null, 0).map(s -> {
      JsonObject summary = StatsJson.summary(s, null);
      JsonObject byStatus = summary.getJsonObject("by_status");
      return new JsonObject()
          .put("messages", summary.getLong("messages"))
          .put("submitted", summary.getLong("accepted"))
          .put("delivered", byStatus.getLong("delivered"))
          .put("failed", byStatus.getLong("failed") + byStatus.getLong("rejected"))
          .put("unknown", byStatus.getLong("unknown"))
          .put("delivery_rate", summary.getDouble("delivery_rate"));
    });
  }

  /** This instance's channels: state, window, rate, throttling and response latency over the last read. */
  JsonArray channels() {
    JsonArray out = new JsonArray();
    SmsChannels all = channels.get();
    if (all == null) {
      return out;
    }
    for (Map.Entry<String, SmppChannel> e : all.all().entrySet()) {
      String name = e.getKey();
      SmppChannel ch = e.getValue();
      Timer latency = registry.find("qingfeng.smpp.response.latency").tag("channel", name).timer();
      double count = latency == null ? 0 : latency.count();
      double totalMs = latency == null ? 0 : latency.totalTime(TimeUnit.MILLISECONDS);
      double throttled = registry.find("qingfeng.smpp.throttled").tag("channel", name).counters().stream()
          .mapToDouble(Counter::count).sum();
      double submits = registry.find("qingfeng.smpp.submits").tag("channel", name).counters().stream()
          .mapToDouble(Counter::count).sum();
      double nowS = System.nanoTime() / 1e9;
      double[] prev = previousMeters.getOrDefault(name, new double[] {count, totalMs, throttled, submits, nowS});
      previousMeters.put(name, new double[] {count, totalMs, throttled, submits, nowS});
      double seconds = nowS - prev[4];
      double answered = count - prev[0];
      long throttledNow = Math.round(throttled - prev[2]);
      out.add(new JsonObject()
          .put("name", name)
          .put("state", ch.state().name())
          .put("window", ch.config().window)
          .put("window_in_use", ch.windowInUse())
          .put("configured_parts_per_second", ch.config().partsPerSecond)
          // The rate the token bucket allows now (0 = unlimited; under the configured one after throttling)...
          .put("current_parts_per_second", Math.round(ch.currentRate() * 10) / 10.0)
          // ...and the submit_sm answered per second since the previous read.
          .put("submits_per_second", seconds > 0 ? Math.round((submits - prev[3]) / seconds * 10) / 10.0 : 0.0)
          .put("throttled", throttledNow > 0)
          .put("throttled_recent", throttledNow)
          .put("throttled_total", Math.round(throttled))
          .put("latency_ms", answered > 0 ? Math.round((totalMs - prev[1]) / answered * 10) / 10.0 : null)
          .put("outcome_unknown", ch.outcomeUnknownCount()));
    }
    return out;
  }

  Future<JsonObject> led(Instant now) {
    return led.check(now, MAX_OFFLINE_LISTED).map(h -> {
      // silent_s changes every second; the page computes it from last_seen_at, so deltas stay small.
      h.getJsonArray("offline_screens").forEach(o -> ((JsonObject) o).remove("silent_s"));
      h.remove("long_polls_held_here");
      return h;
    });
  }
}
