package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.testing.Http.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.db.Database;
import org.qingfeng.db.Migrations;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * A message that is being submitted while its campaign is cancelled must close with the campaign,
 * whichever of the ledger's put-back paths (a retry's outcome, a release, the stuck sweep) runs
 * while the cancel is committing. Each case holds a cancel open in its own transaction, after it
 * has closed the campaign's queued messages, and starts the put-back meanwhile.
 */
@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LedgerCloseRaceTest {
  static Vertx vertx;
  static Pool pool;
  static LedgerStore ledger;

  @BeforeAll
  static void setUp(TestInfra infra) {
    Migrations.migrate(infra.database());
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, infra.database(), 4);
    ledger = new LedgerStore(pool);
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void aRetryDuringACancelClosesWithTheCampaign() {
    long[] ids = runningCampaignWithOneSubmitting(Duration.ZERO);
    String status = putBackWhileCancelling(ids[0], () -> ledger.recordOutcomes(
        List.of(new LedgerStore.Outcome(ids[1], ids[0], "queued", null, "ESME_RTHROTTLED", false)), Instant.now()));
    assertThat(status).isEqualTo("cancelled");
  }

  @Test
  void anOutcomeUnknownRetryDuringACancelClosesWithTheCampaignAndIsCounted() {
    long[] ids = runningCampaignWithOneSubmitting(Duration.ZERO);
    String status = putBackWhileCancelling(ids[0], () -> ledger.recordOutcomes(
        List.of(new LedgerStore.Outcome(ids[1], ids[0], "queued", null, "link lost", true)), Instant.now()));
    assertThat(status).isEqualTo("cancelled");
    assertThat(CampaignFixtures.scalar(pool, "SELECT outcome_unknown FROM campaign WHERE id = $1", ids[0])).isEqualTo(1);
  }

  @Test
  void aReleaseDuringACancelClosesWithTheCampaign() {
    long[] ids = runningCampaignWithOneSubmitting(Duration.ZERO);
    String status = putBackWhileCancelling(ids[0], () -> ledger.release(new Long[] {ids[1]}, Instant.now(), true));
    assertThat(status).isEqualTo("cancelled");
  }

  @Test
  void theStuckSweepDuringACancelDoesNotRequeueIntoTheClosedCampaign() {
    long[] ids = runningCampaignWithOneSubmitting(Duration.ofMinutes(10));
    String status = putBackWhileCancelling(ids[0],
        () -> ledger.sweepStuck(Duration.ofMinutes(2), Instant.now(), true).mapEmpty());
    assertThat(status).isEqualTo("failed");
    assertThat(CampaignFixtures.scalar(pool, "SELECT outcome_unknown FROM campaign WHERE id = $1", ids[0])).isEqualTo(1);
  }

  /**
   * Cancels the campaign as CampaignStore does (campaign row, then its queued messages), starts
   * the put-back before committing, commits, and returns the message's final status.
   */
  private static String putBackWhileCancelling(long campaignId, Supplier<Future<Void>> putBack) {
    SqlConnection closer = await(pool.getConnection());
    try {
      Transaction tx = await(closer.begin());
      await(closer.preparedQuery("SELECT id FROM campaign WHERE id = $1 FOR UPDATE").execute(Tuple.of(campaignId)));
      await(closer.preparedQuery("UPDATE campaign SET status = 'cancelled' WHERE id = $1").execute(Tuple.of(campaignId)));
      await(LedgerStore.closeQueued(closer, campaignId, "cancelled", Instant.now()));
      Future<Void> pending = putBack.get();
      sleep(300);
      assertThat(pending.isComplete()).as("the put-back waits for the cancel's commit").isFalse();
      await(tx.commit());
      await(pending);
    } finally {
      await(closer.close());
    }
    return await(pool.preparedQuery("SELECT status FROM message WHERE campaign_id = $1").execute(Tuple.of(campaignId)))
        .iterator().next().getString(0);
  }

  /**
   * A running campaign with one message in submitting, leased the given time ago, with the lease
   * row its claim would have written; returns {campaign, message}.
   */
  private static long[] runningCampaignWithOneSubmitting(Duration leasedAgo) {
    long campaign = CampaignFixtures.runningCampaign(pool, "close race", false);
    long message = CampaignFixtures.scalar(pool, "WITH m AS (INSERT INTO message (campaign_id, contact_id, phone, text, parts, "
        + "status, attempts, created_at, claimed_at, leased_at, updated_at) VALUES ($1, 1, '+8613900000001', '清风', 1, "
        + "'submitting', 1, now(), now(), now() - make_interval(secs => $2), now()) RETURNING id, leased_at), "
        + "l AS (INSERT INTO message_lease (leased_at, ids) SELECT leased_at, ARRAY[id] FROM m) SELECT id FROM m",
        campaign, (double) leasedAgo.toSeconds());
    return new long[] {campaign, message};
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
