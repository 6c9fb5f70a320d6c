package org.qingfeng.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The alerts ops must not miss: a channel not bound for longer than a bound, a delivery rate
 * under a threshold (once enough messages have an outcome), LED screens offline. Remembers
 * since when each channel has been unbound, so it lives as long as the collector.
 */
final class OpsAlerts {
  private final double rateThreshold;
  private final long minOutcomes;
  private final long unboundAlertMs;
  private final Map<String, Long> unboundSince = new HashMap<>();

  OpsAlerts(int rateThresholdPercent, long minOutcomes, int unboundAlertS) {
    this.rateThreshold = rateThresholdPercent / 100.0;
    this.minOutcomes = minOutcomes;
    this.unboundAlertMs = unboundAlertS * 1000L;
  }

  JsonArray evaluate(Instant now, JsonArray channels, JsonObject totals, JsonArray campaigns, JsonObject led) {
    JsonArray out = new JsonArray();
    Set<String> seen = new HashSet<>();
    for (Object o : channels) {
      JsonObject ch = (JsonObject) o;
      String name = ch.getString("name");
      seen.add(name);
      if ("BOUND".equals(ch.getString("state"))) {
        unboundSince.remove(name);
        continue;
      }
      long since = unboundSince.computeIfAbsent(name, n -> now.toEpochMilli());
      if (now.toEpochMilli() - since >= unboundAlertMs) {
        out.add(alert("channel_unbound", "critical", name)
            .put("since", Instant.ofEpochMilli(since).toString())
            .put("state", ch.getString("state")));
      }
    }
    unboundSince.keySet().retainAll(seen);
    rateAlert(out, "all", totals.getLong("delivered", 0L), totals.getLong("failed", 0L));
    for (Object o : campaigns) {
      JsonObject c = (JsonObject) o;
      JsonObject f = c.getJsonObject("funnel");
      rateAlert(out, "campaign:" + c.getLong("id"), f.getLong("delivered"), f.getLong("failed"));
    }
    int offline = led.getInteger("offline", 0);
    if (offline > 0) {
      out.add(alert("screens_offline", "warning", "led").put("screens", offline));
    }
    return out;
  }

  private void rateAlert(JsonArray out, String subject, long delivered, long failed) {
    long outcomes = delivered + failed;
    if (outcomes >= minOutcomes && (double) delivered / outcomes < rateThreshold) {
      out.add(alert("delivery_rate_low", "critical", subject)
          .put("delivery_rate", Math.round((double) delivered / outcomes * 10_000) / 10_000.0)
          .put("threshold", rateThreshold));
    }
  }

  private static JsonObject alert(String kind, String severity, String subject) {
    return new JsonObject().put("kind", kind).put("severity", severity).put("subject", subject);
  }
}
