package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.app.ServerHooks;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/** Two server instances on the same Postgres and Kafka share one 20,000-contact blast: each destination once. */
@QingfengTest
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CampaignTwoServersTest {
  static final RecordingGateway FIRST = new RecordingGateway(Clock.systemUTC());
  static final RecordingGateway SECOND = new RecordingGateway(Clock.systemUTC());
  static QingfengServer one;
  static QingfengServer two;
  static Http http;

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
    }
    if (one != null) {
      one.stop();
    }
    if (two != null) {
      two.stop();
    }
  }

  @Test
  void twoSendersOneBlastEachDestinationOnce(TestInfra infra) throws Exception {
    Map<String, String> env = Map.of("QINGFENG_CAMPAIGN_SENDER_CHUNK", "100");
    one = infra.startServer(env, ServerHooks.defaults().gateway(v -> FIRST));
    two = infra.startServer(env, ServerHooks.defaults().gateway(v -> SECOND));
    http = new Http(one.httpPort());
    BlastScenario scenario = new BlastScenario(one.pool(), "cadre");
    String operator = CampaignFixtures.token(http, "operator", "op");
    String approver = CampaignFixtures.token(http, "approver", "ap");
    assertThat(CampaignFixtures.scalar(one.pool(), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"))
        .as("exactly one scheduler holds the lock").isEqualTo(1);

    // Time for the second consumer to join the group before the blast starts.
    Instant sendAt = Instant.now().plusSeconds(6);
    long id = CampaignFixtures.approved(http, operator, approver, CampaignFixtures.campaign("国庆两节廉洁提醒",
        OffsetDateTime.ofInstant(sendAt, ZoneOffset.ofHours(8)).toString(), CampaignFixtures.tagged("cadre"))
        .put("max_rate", 10_000));
    Http viaTwo = new Http(two.httpPort());
    try {
      CampaignFixtures.await("campaign completed", Duration.ofSeconds(120),
          () -> "completed".equals(CampaignFixtures.status(viaTwo, operator, id)));
      JsonObject details = CampaignFixtures.get(viaTwo, "/api/v1/campaigns/" + id, operator);
      scenario.assertCounted(details);
    } finally {
      viaTwo.close();
    }

    Map<String, AtomicInteger> combined = new HashMap<>();
    for (RecordingGateway g : new RecordingGateway[] {FIRST, SECOND}) {
      g.perDestination().forEach((phone, n) -> combined.computeIfAbsent(phone, k -> new AtomicInteger()).addAndGet(n.get()));
    }
    scenario.assertEachOnce(combined);
    assertThat(FIRST.count()).as("first server's sender took part").isPositive();
    assertThat(SECOND.count()).as("second server's sender took part").isPositive();
  }
}
