package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.qingfeng.app.EmbeddedPostgresService;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.app.ServerHooks;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * PostgreSQL stops and starts in the middle of a blast (the fault run's "restart PostgreSQL"):
 * the blast must go on to completion, every destination reached, a repeat only where the
 * outcome was unknown, and the outcome-unknown count about one claim's worth, not a sweep that
 * keeps finding claimed messages nobody sends. It gets a Postgres of its own so stopping it
 * disturbs no other test.
 */
@QingfengTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CampaignPostgresRestartTest {
  private static final int CONTACTS = 4_000;
  @TempDir Path tmp;

  @Test
  void aBlastCompletesAcrossAPostgresRestart(TestInfra infra) throws Exception {
    EmbeddedPostgresService pg = new EmbeddedPostgresService(tmp, 0, false).start();
    RecordingGateway gateway = new RecordingGateway(Clock.systemUTC());
    QingfengServer server = null;
    try {
      server = infra.startServer(Map.of(
          "QINGFENG_POSTGRES_URL", "postgresql://postgres@127.0.0.1:" + pg.port() + "/" + EmbeddedPostgresService.DATABASE,
          "QINGFENG_CAMPAIGN_SUBMITTING_TIMEOUT_SECONDS", "5",
          "QINGFENG_CAMPAIGN_SCHEDULER_LOCK_RETRY_MS", "500"), ServerHooks.defaults().gateway(v -> gateway));
      try (Http http = new Http(server.httpPort())) {
        List<String> phones = CampaignFixtures.mobiles(8_000_000, CONTACTS);
        String operator = CampaignFixtures.token(http, "operator", "op");
        String approver = CampaignFixtures.token(http, "approver", "ap");
        long id = CampaignFixtures.approvedBlastDueSoon(http, server.pool(), operator, approver, "重启短信", "restart",
            phones, 300);

        CampaignFixtures.await("a quarter sent", Duration.ofSeconds(90), () -> gateway.count() >= CONTACTS / 4);
        pg.stop();
        Thread.sleep(3_000); // the sender, sweep and scheduler meet a dead database meanwhile
        int sentWhileDown = gateway.count();
        pg.start();

        CampaignFixtures.await("campaign completed after the restart", Duration.ofSeconds(150),
            () -> "completed".equals(CampaignFixtures.status(http, operator, id)));
        JsonObject details = CampaignFixtures.get(http, "/api/v1/campaigns/" + id, operator);
        int unknown = details.getJsonObject("progress").getInteger("outcome_unknown");
        int repeats = gateway.perDestination().values().stream().mapToInt(n -> n.get() - 1).sum();
        System.out.printf("postgres restart: %d sent before the restart, %d repeats, outcome unknown %d%n",
            sentWhileDown, repeats, unknown);
        assertThat(sentWhileDown).as("restarted mid-blast").isLessThan(CONTACTS);
        assertThat(gateway.perDestination().keySet()).containsExactlyInAnyOrderElementsOf(phones);
        assertThat(repeats).as("repeats are counted outcome-unknown resubmits").isLessThanOrEqualTo(unknown);
        // In flight at the restart: at most a poll's worth of claims (500 records) per sender.
        assertThat(unknown).as("outcome unknown about one batch, not a sweep that keeps finding claims")
            .isLessThanOrEqualTo(1_000);
        assertThat(gateway.perDestination().values()).extracting(AtomicInteger::get).allMatch(n -> n <= 2);
      }
    } finally {
      if (server != null) {
        server.stop();
      }
      pg.stop();
    }
  }
}
