package org.qingfeng.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The alert rules: a channel unbound beyond the bound, a low delivery rate once enough outcomes exist, screens offline. */
class OpsAlertsTest {
  private final OpsAlerts alerts = new OpsAlerts(90, 100, 60);
  private final Instant t0 = Instant.parse("2026-10-01T08:00:00Z");

  @Test
  void aChannelUnboundForAMinuteRaisesAnAlertThatClearsWhenItBindsAgain() {
    JsonArray down = channels("CONNECTING");
    assertThat(alerts.evaluate(t0, down, totals(0, 0), new JsonArray(), led(0))).isEmpty();
    assertThat(alerts.evaluate(t0.plusSeconds(59), down, totals(0, 0), new JsonArray(), led(0))).isEmpty();
    JsonArray fired = alerts.evaluate(t0.plusSeconds(60), down, totals(0, 0), new JsonArray(), led(0));
    assertThat(fired).hasSize(1);
    assertThat(fired.getJsonObject(0).getString("kind")).isEqualTo("channel_unbound");
    assertThat(fired.getJsonObject(0).getString("subject")).isEqualTo("cmcc");
    assertThat(fired.getJsonObject(0).getString("since")).isEqualTo(t0.toString());
    assertThat(alerts.evaluate(t0.plusSeconds(61), channels("BOUND"), totals(0, 0), new JsonArray(), led(0))).isEmpty();
    // Unbound again: the minute counts from the new loss, not the old one.
    assertThat(alerts.evaluate(t0.plusSeconds(62), down, totals(0, 0), new JsonArray(), led(0))).isEmpty();
  }

  @Test
  void aLowDeliveryRateAlertsOnlyOnceEnoughMessagesHaveAnOutcome() {
    assertThat(alerts.evaluate(t0, channels("BOUND"), totals(50, 40), new JsonArray(), led(0))).as("90 outcomes: too few").isEmpty();
    assertThat(alerts.evaluate(t0, channels("BOUND"), totals(900, 100), new JsonArray(), led(0))).as("exactly 90 %").isEmpty();
    JsonArray campaigns = new JsonArray().add(new JsonObject().put("id", 7L)
        .put("funnel", new JsonObject().put("delivered", 80L).put("failed", 120L)));
    JsonArray fired = alerts.evaluate(t0, channels("BOUND"), totals(890, 110), campaigns, led(0));
    assertThat(fired.stream().map(o -> ((JsonObject) o).getString("subject"))).containsExactly("all", "campaign:7");
    assertThat(fired.getJsonObject(0).getDouble("delivery_rate")).isEqualTo(0.89);
    assertThat(fired.getJsonObject(1).getDouble("threshold")).isEqualTo(0.9);
  }

  @Test
  void offlineScreensAlert() {
    JsonArray fired = alerts.evaluate(t0, channels("BOUND"), totals(0, 0), new JsonArray(), led(3));
    assertThat(fired).hasSize(1);
    assertThat(fired.getJsonObject(0).getString("kind")).isEqualTo("screens_offline");
    assertThat(fired.getJsonObject(0).getInteger("screens")).isEqualTo(3);
  }

  private static JsonArray channels(String state) {
    return new JsonArray().add(new JsonObject().put("name", "cmcc").put("state", state));
  }

  private static JsonObject totals(long delivered, long failed) {
    return new JsonObject().put("delivered", delivered).put("failed", failed);
  }

  private static JsonObject led(int offline) {
    return new JsonObject().put("offline", offline);
  }
}
