package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.app.ServerHooks;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * A campaign slower than its claims: 60 messages at 10/s with a 4 s submitting timeout. The
 * sender must claim no more than it sends well within the timeout; a claim of all 60 would
 * keep the last ones waiting 6 s in submitting, the stuck-sweep would re-queue them and they
 * would be claimed and sent a second time, with no fault at all.
 */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CampaignSlowRateTest {
  private static final int CONTACTS = 60;

  @Test
  void aSlowCampaignIsNeverSweptWhileItsMessagesWaitTheirTurn(TestInfra infra) throws Exception {
    RecordingGateway gateway = new RecordingGateway(Clock.systemUTC());
    QingfengServer server = infra.startServer(Map.of("QINGFENG_CAMPAIGN_SUBMITTING_TIMEOUT_SECONDS", "4"),
        ServerHooks.defaults().gateway(v -> gateway));
    try (Http http = new Http(server.httpPort())) {
      List<String> phones = CampaignFixtures.mobiles(7_000_000, CONTACTS);
      String operator = CampaignFixtures.token(http, "operator", "op");
      String approver = CampaignFixtures.token(http, "approver", "ap");
      long id = CampaignFixtures.approvedBlastDueSoon(http, server.pool(), operator, approver, "慢速短信", "slow",
          phones, 10);

      CampaignFixtures.await("campaign completed", Duration.ofSeconds(90),
          () -> "completed".equals(CampaignFixtures.status(http, operator, id)));
      // A sweep that re-queued a waiting message would have it sent again shortly after.
      Thread.sleep(1_000);

      JsonObject details = CampaignFixtures.get(http, "/api/v1/campaigns/" + id, operator);
      assertThat(details.getJsonObject("progress").getInteger("outcome_unknown"))
          .as("no message was found stuck in submitting").isZero();
      assertThat(gateway.perDestination().keySet()).containsExactlyInAnyOrderElementsOf(phones);
      assertThat(gateway.perDestination().values()).as("each destination once").extracting(AtomicInteger::get)
          .containsOnly(1);
    } finally {
      server.stop();
    }
  }
}
