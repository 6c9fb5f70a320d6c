package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.testing.Http.await;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.db.Database;
import org.qingfeng.db.Migrations;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * The completion check scans each campaign's messages from the smallest id the previous check
 * found open. A campaign is reported finished exactly when no message of it is queued or
 * submitting, whatever order its messages finish in, with the mark's own message re-checked, and
 * one campaign's mark never hides another's open messages.
 */
@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CampaignCompletionLowWaterTest {
  static Vertx vertx;
  static Pool pool;
  static LedgerStore ledger;
  static CampaignStore campaigns;

  @BeforeAll
  static void setUp(TestInfra infra) {
    Migrations.migrate(infra.database());
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, infra.database(), 4);
    ledger = new LedgerStore(pool);
    campaigns = new CampaignStore(pool);
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  /** Each test starts with no campaign in the check's reach. */
  @BeforeEach
  void closeOthers() {
    await(pool.query("UPDATE campaign SET status = 'completed' WHERE status = 'running'").execute());
  }

  @Test
  void finishedOnlyOnceTheMarkedMessageAndEveryLaterOneIsFinal() {
    long c = CampaignFixtures.runningCampaign(pool, "in order", true);
    Long[] m = queued(c, 5);
    CampaignStore.Open open = await(campaigns.openFrom(Map.of()));
    assertThat(open.finished).isEmpty();
    assertThat(open.lowWater).isEqualTo(Map.of(c, m[0]));

    finish(m[0], m[1]);
    open = await(campaigns.openFrom(open.lowWater));
    assertThat(open.lowWater).isEqualTo(Map.of(c, m[2]));

    // The marked message is in flight and every later one is done: still open at the mark.
    await(ledger.claim(new Long[] {m[2]}, Instant.now()));
    finish(m[3], m[4]);
    open = await(campaigns.openFrom(open.lowWater));
    assertThat(open.finished).isEmpty();
    assertThat(open.lowWater).isEqualTo(Map.of(c, m[2]));

    // A retry puts it back to queued: open still.
    await(ledger.recordOutcomes(List.of(new LedgerStore.Outcome(m[2], c, "queued", null, "ESME_RTHROTTLED", false)),
        Instant.now()));
    open = await(campaigns.openFrom(open.lowWater));
    assertThat(open.finished).isEmpty();
    assertThat(open.lowWater).isEqualTo(Map.of(c, m[2]));

    finish(m[2]);
    open = await(campaigns.openFrom(open.lowWater));
    assertThat(open.finished).containsExactly(c);
    assertThat(open.lowWater).isEmpty();
  }

  @Test
  void theFirstMessageFinishingLastKeepsTheCampaignOpen() {
    long c = CampaignFixtures.runningCampaign(pool, "out of order", true);
    Long[] m = queued(c, 4);
    finish(m[1], m[2], m[3]);
    CampaignStore.Open open = await(campaigns.openFrom(Map.of()));
    assertThat(open.finished).isEmpty();
    assertThat(open.lowWater).isEqualTo(Map.of(c, m[0]));
    open = await(campaigns.openFrom(open.lowWater));
    assertThat(open.finished).isEmpty();

    finish(m[0]);
    open = await(campaigns.openFrom(open.lowWater));
    assertThat(open.finished).containsExactly(c);
  }

  @Test
  void oneCampaignsMarkDoesNotHideAnothersOpenMessages() {
    long a = CampaignFixtures.runningCampaign(pool, "a", true);
    long b = CampaignFixtures.runningCampaign(pool, "b", true);
    // Interleaved ids: a0 < b0 < a1 < b1 < ...
    List<Long> as = new ArrayList<>();
    List<Long> bs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      as.add(queued(a, 1)[0]);
      bs.add(queued(b, 1)[0]);
    }
    finish(as.get(0), as.get(1), as.get(2), bs.get(0));
    CampaignStore.Open open = await(campaigns.openFrom(Map.of()));
    assertThat(open.lowWater).isEqualTo(Map.of(a, as.get(3), b, bs.get(1)));

    finish(as.get(3));
    open = await(campaigns.openFrom(open.lowWater));
    assertThat(open.finished).containsExactly(a);
    assertThat(open.lowWater).as("b's open message lies below a's mark").isEqualTo(Map.of(b, bs.get(1)));

    // A map without b's mark (a restart, b out of the last look) scans b from its first message;
    // a's mark (above b's open message) is a's alone. a, still running here, is finished again.
    open = await(campaigns.openFrom(Map.of(a, as.get(3))));
    assertThat(open.finished).containsExactly(a);
    assertThat(open.lowWater).isEqualTo(Map.of(b, bs.get(1)));
  }

  @Test
  void campaignsOutOfTheCheckAreNotReportedAndLoseTheirMark() {
    long running = CampaignFixtures.runningCampaign(pool, "running", true);
    long requeue = CampaignFixtures.runningCampaign(pool, "requeue", true);
    long expanding = CampaignFixtures.runningCampaign(pool, "expanding", false);
    long paused = CampaignFixtures.runningCampaign(pool, "paused", true);
    Long[] r = queued(running, 1);
    queued(requeue, 1);
    queued(paused, 1);
    CampaignStore.Open open = await(campaigns.openFrom(Map.of()));
    assertThat(open.finished).as("a campaign still expanding is not finished").isEmpty();
    assertThat(open.lowWater.keySet()).containsExactlyInAnyOrder(running, requeue, paused);

    await(pool.preparedQuery("UPDATE campaign SET requeue = true WHERE id = $1").execute(Tuple.of(requeue)));
    await(pool.preparedQuery("UPDATE campaign SET status = 'paused' WHERE id = $1").execute(Tuple.of(paused)));
    await(pool.preparedQuery("UPDATE message SET status = 'submitted' WHERE campaign_id = ANY($1)")
        .execute(Tuple.of((Object) new Long[] {requeue, paused})));
    open = await(campaigns.openFrom(open.lowWater));
    assertThat(open.finished).as("only running, fully expanded campaigns not flagged for requeue").isEmpty();
    assertThat(open.lowWater).isEqualTo(Map.of(running, r[0]));
  }

  private static Long[] queued(long campaign, int n) {
    return CampaignFixtures.queuedMessages(pool, campaign, n);
  }

  private static void finish(Long... ids) {
    await(pool.preparedQuery("UPDATE message SET status = 'submitted', submitted_at = now() WHERE id = ANY($1)")
        .execute(Tuple.of((Object) ids)));
  }
}
