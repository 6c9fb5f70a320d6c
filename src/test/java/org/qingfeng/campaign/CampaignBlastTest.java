package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.campaign.CampaignFixtures.get;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.app.ServerHooks;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/** A 20,000-contact festival blast through scheduler, expander, Kafka and sender to the (recording) SMS channel. */
@QingfengTest
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CampaignBlastTest {
  static final RecordingGateway GATEWAY = new RecordingGateway(Clock.systemUTC());
  static QingfengServer server;
  static Http http;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of(), ServerHooks.defaults().gateway(v -> GATEWAY));
    http = new Http(server.httpPort());
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void blastReachesEachExpectedDestinationOnceAndCountsTheExcluded() throws Exception {
    BlastScenario scenario = new BlastScenario(server.pool(), "party-member");
    String operator = CampaignFixtures.token(http, "operator", "op");
    String approver = CampaignFixtures.token(http, "approver", "ap");
    String viewer = CampaignFixtures.token(http, "viewer", "vw");
    Instant sendAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    JsonObject body = CampaignFixtures.campaign("春节廉洁短信", OffsetDateTime.ofInstant(sendAt, ZoneOffset.ofHours(8)).toString(),
        CampaignFixtures.tagged("party-member")).put("max_rate", 10_000);
    long id = CampaignFixtures.approved(http, operator, approver, body);

    CampaignFixtures.await("campaign completed", Duration.ofSeconds(100),
        () -> "completed".equals(CampaignFixtures.status(http, viewer, id)));

    scenario.assertEachOnce(GATEWAY.perDestination());
    assertThat(GATEWAY.sent()).allSatisfy(s -> {
      assertThat(s.text).isEqualTo("【余庆县纪委】清风送节，廉洁过节。请勿收受礼品礼金。");
      assertThat(s.at).isAfterOrEqualTo(sendAt);
    });
    JsonObject details = get(http, "/api/v1/campaigns/" + id, viewer);
    scenario.assertCounted(details);
    Instant started = OffsetDateTime.parse(details.getString("started_at")).toInstant();
    // The scheduler ticks every 200 ms; the margin is for a CI machine busy with other builds.
    assertThat(Duration.between(sendAt, started)).as("started within 3 s of send_at").isLessThan(Duration.ofSeconds(3));
    assertThat(details.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("action")))
        .containsSubsequence("approve", "start", "complete");

    // The ledger reads back page by page with masked numbers for a viewer and full ones for an operator.
    Set<Long> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = get(http, "/api/v1/messages?campaign=" + id + "&status=submitted&limit=1000"
          + (cursor == null ? "" : "&cursor=" + cursor), viewer);
      JsonArray items = page.getJsonArray("items");
      for (int i = 0; i < items.size(); i++) {
        JsonObject m = items.getJsonObject(i);
        assertThat(m.getString("phone")).matches("\\+86139\\*{4}\\d{4}");
        seen.add(m.getLong("id"));
      }
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null);
    assertThat(seen).hasSize(scenario.expected.size());
    assertThat(pages).isEqualTo(19);
    String phone = scenario.expected.iterator().next();
    JsonArray one = get(http, "/api/v1/messages?phone=" + phone.replace("+", "%2B"), operator).getJsonArray("items");
    assertThat(one).hasSize(1);
    assertThat(one.getJsonObject(0).getString("phone")).isEqualTo(phone);
    assertThat(one.getJsonObject(0).getJsonArray("smsc_ids")).hasSize(1);
  }
}
