package org.qingfeng.receipts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Shapes raw statistics counters into the API's JSON. */
public final class StatsJson {
  private StatsJson() {
  }

  /** Totals of every channel together, with a per-channel breakdown in {@code channels}. */
  static JsonObject campaign(long campaignId, ReceiptQueries.Stats s) {
    JsonObject out = summary(s, null).put("campaign_id", campaignId);
    JsonArray channels = new JsonArray();
    channels(s).forEach(ch -> channels.add(summary(s, ch).put("channel", ch)));
    out.put("channels", channels);
    Map<Long, JsonObject> minutes = new TreeMap<>();
    for (ReceiptQueries.Count c : s.series()) {
      int bar = c.key().indexOf('|');
      long minute = Long.parseLong(c.key().substring(0, bar));
      JsonObject row = minutes.computeIfAbsent(minute, m -> new JsonObject()
          .put("minute", Instant.ofEpochMilli(m).toString())
          .put("submitted", 0L).put("delivered", 0L).put("failed", 0L).put("rejected", 0L));
      row.put(c.key().substring(bar + 1), c.messages());
    }
    out.put("series", new JsonArray(new ArrayList<>(minutes.values())));
    return out;
  }

  static JsonObject channelsView(ReceiptQueries.Stats s) {
    JsonArray items = new JsonArray();
    channels(s).forEach(ch -> items.add(summary(s, ch).put("channel", ch)));
    return new JsonObject().put("items", items).put("total", summary(s, null));
  }

  private static TreeSet<String> channels(ReceiptQueries.Stats s) {
    TreeSet<String> names = new TreeSet<>();
    s.status().forEach(c -> names.add(c.channel()));
    return names;
  }

  /** Counts by status, delivery rate, latency percentiles and errors of one channel (null: all). */
  public static JsonObject summary(ReceiptQueries.Stats s, String channel) {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    MessageState.STATUSES.forEach(st -> byStatus.put(st, 0L));
    long total = 0;
    for (ReceiptQueries.Count c : s.status()) {
      if (channel == null || channel.equals(c.channel())) {
        byStatus.merge(c.key(), c.messages(), Long::sum);
        total += c.messages();
      }
    }
    long accepted = total - byStatus.getOrDefault(MessageState.REJECTED, 0L);
    long delivered = byStatus.getOrDefault(MessageState.DELIVERED, 0L);
    Map<Integer, Long> buckets = new HashMap<>();
    for (ReceiptQueries.Count c : s.latency()) {
      if (channel == null || channel.equals(c.channel())) {
        buckets.merge(Integer.parseInt(c.key()), c.messages(), Long::sum);
      }
    }
    Map<String, Long> errors = new HashMap<>();
    for (ReceiptQueries.Count c : s.errors()) {
      if (channel == null || channel.equals(c.channel())) {
        errors.merge(c.key(), c.messages(), Long::sum);
      }
    }
    List<Map.Entry<String, Long>> errorList = new ArrayList<>(errors.entrySet());
    errorList.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    JsonArray errorJson = new JsonArray();
    errorList.forEach(e -> errorJson.add(new JsonObject().put("code", e.getKey()).put("messages", e.getValue())));
    long samples = buckets.values().stream().mapToLong(Long::longValue).sum();
    JsonObject latency = new JsonObject().put("samples", samples);
    if (samples > 0) {
      latency.put("p50", LatencyBuckets.percentile(buckets, 0.50))
          .put("p90", LatencyBuckets.percentile(buckets, 0.90))
          .put("p99", LatencyBuckets.percentile(buckets, 0.99));
    }
    JsonObject statusJson = new JsonObject();
    byStatus.forEach(statusJson::put);
    return new JsonObject()
        .put("messages", total)
        .put("by_status", statusJson)
        .put("accepted", accepted)
        .put("delivery_rate", accepted == 0 ? null : (double) delivered / accepted)
        .put("latency_ms", latency)
        .put("errors", errorJson);
  }
}
