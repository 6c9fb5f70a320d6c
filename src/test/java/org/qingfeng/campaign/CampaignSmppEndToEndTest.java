package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.sim.SmscSimulator;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/** The real path: a 20,000-contact blast through the SMPP channel to the built-in SMSC simulator. */
@QingfengTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CampaignSmppEndToEndTest {
  static QingfengServer server;
  static Http http;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_SMS_SIMULATOR_RECEIPT_DELAY_MS", "20"));
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
  void theSimulatorReceivesEachExpectedDestinationExactlyOnce() throws Exception {
    BlastScenario scenario = new BlastScenario(server.pool(), "cadre");
    String operator = CampaignFixtures.token(http, "operator", "op");
    String approver = CampaignFixtures.token(http, "approver", "ap");
    Instant sendAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    JsonObject body = CampaignFixtures.campaign("中秋廉洁短信", OffsetDateTime.ofInstant(sendAt, ZoneOffset.ofHours(8)).toString(),
        CampaignFixtures.tagged("cadre")).put("max_rate", 10_000);
    long id = CampaignFixtures.approved(http, operator, approver, body);

    CampaignFixtures.await("campaign completed", Duration.ofSeconds(200),
        () -> "completed".equals(CampaignFixtures.status(http, operator, id)));

    SmscSimulator sim = server.smsChannels().orElseThrow().simulator().orElseThrow();
    Map<String, AtomicInteger> perDestination = new HashMap<>();
    // The channel sends international numbers with TON 1 and no '+', as SMSCs expect.
    sim.ledger().submitsPerDestination().forEach((dest, n) -> perDestination.put("+" + dest, new AtomicInteger(n)));
    scenario.assertEachOnce(perDestination);
    assertThat(sim.ledger().entries()).allSatisfy(e ->
        assertThat(e.text).isEqualTo("【余庆县纪委】清风送节，廉洁过节。请勿收受礼品礼金。"));
    scenario.assertCounted(CampaignFixtures.get(http, "/api/v1/campaigns/" + id, operator));
  }
}
