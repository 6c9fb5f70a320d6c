package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.testing.Http.await;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.db.Database;
import org.qingfeng.db.Migrations;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * The stuck-submitting sweep finds its candidates through the lease rows the claim writes (no
 * index names status or leased_at any more, so the claim and the outcome are HOT updates). A
 * message left in submitting is swept exactly once and its lease row goes; a message claimed
 * again since is judged by its newer lease only.
 */
@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LedgerLeaseTest {
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
  void theClaimWritesOneLeaseWithItsIdsAndTheirLeaseTime() {
    long campaign = runningCampaign("lease");
    Long[] ids = queued(campaign, 3);
    assertThat(await(ledger.claim(ids, Instant.now())).size()).isEqualTo(3);

    List<Row> leases = leases(ids);
    assertThat(leases).hasSize(1);
    assertThat(Arrays.asList(leases.get(0).getArrayOfLongs("ids"))).containsExactlyInAnyOrder(ids);
    assertThat(CampaignFixtures.scalar(pool, "SELECT count(*) FROM message m JOIN message_lease l ON m.id = ANY(l.ids) "
        + "WHERE l.id = $1 AND m.leased_at = l.leased_at AND m.status = 'submitting'", leases.get(0).getLong("id")))
        .as("every claimed message has the lease's time").isEqualTo(3);

    // A claim that moves nothing (already submitting) leaves no lease row behind.
    assertThat(await(ledger.claim(ids, Instant.now())).size()).isZero();
    assertThat(leases(ids)).hasSize(1);
  }

  @Test
  void aStuckMessageIsFoundThroughItsLeaseSweptOnceAndItsLeaseIsGone() {
    long campaign = runningCampaign("stuck");
    Long[] ids = queued(campaign, 3);
    await(ledger.claim(ids, Instant.now()));
    backdate(ids, Duration.ofMinutes(10));
    // The first one's outcome arrived: it is not stuck, though its lease is as old as the others'.
    await(ledger.recordOutcomes(List.of(new LedgerStore.Outcome(ids[0], campaign, "submitted", "s1", null, false)),
        Instant.now()));

    LedgerStore.Swept swept = await(ledger.sweepStuck(Duration.ofMinutes(2), Instant.now(), true));
    assertThat(swept.counts).isEqualTo(Map.of(campaign, 2));
    assertThat(swept.requeued.keySet()).containsExactly(campaign);
    assertThat(swept.requeued.get(campaign)).containsExactlyInAnyOrder(ids[1], ids[2]);
    assertThat(status(ids[0])).isEqualTo("submitted");
    assertThat(status(ids[1])).isEqualTo("queued");
    assertThat(status(ids[2])).isEqualTo("queued");
    assertThat(CampaignFixtures.scalar(pool, "SELECT sum(outcome_unknown) FROM message WHERE campaign_id = $1", campaign))
        .isEqualTo(2);
    assertThat(CampaignFixtures.scalar(pool, "SELECT outcome_unknown FROM campaign WHERE id = $1", campaign)).isEqualTo(2);
    assertThat(leases(ids)).as("the examined lease is deleted").isEmpty();

    LedgerStore.Swept again = await(ledger.sweepStuck(Duration.ofMinutes(2), Instant.now(), true));
    assertThat(again.counts).as("swept exactly once").isEmpty();
    assertThat(CampaignFixtures.scalar(pool, "SELECT outcome_unknown FROM campaign WHERE id = $1", campaign)).isEqualTo(2);
  }

  @Test
  void aStuckMessageOfAClosedCampaignFailsAsBefore() {
    long campaign = runningCampaign("closed");
    Long[] ids = queued(campaign, 1);
    await(ledger.claim(ids, Instant.now()));
    backdate(ids, Duration.ofMinutes(10));
    await(pool.preparedQuery("UPDATE campaign SET status = 'cancelled' WHERE id = $1").execute(Tuple.of(campaign)));

    LedgerStore.Swept swept = await(ledger.sweepStuck(Duration.ofMinutes(2), Instant.now(), true));
    assertThat(swept.counts).isEqualTo(Map.of(campaign, 1));
    assertThat(swept.requeued).isEmpty();
    assertThat(status(ids[0])).isEqualTo("failed");
    assertThat(leases(ids)).isEmpty();
  }

  @Test
  void aMessageClaimedAgainIsNotSweptByItsOldLease() {
    long campaign = runningCampaign("reclaimed");
    Long[] ids = queued(campaign, 1);
    await(ledger.claim(ids, Instant.now()));
    long oldLease = leases(ids).get(0).getLong("id");
    await(ledger.release(ids, Instant.now(), false));
    await(ledger.claim(ids, Instant.now()));
    // Only the first lease is old; the message's own lease time is the second claim's.
    await(pool.preparedQuery("UPDATE message_lease SET leased_at = leased_at - interval '10 minutes' WHERE id = $1")
        .execute(Tuple.of(oldLease)));

    LedgerStore.Swept swept = await(ledger.sweepStuck(Duration.ofMinutes(2), Instant.now(), true));
    assertThat(swept.counts).isEmpty();
    assertThat(status(ids[0])).isEqualTo("submitting");
    List<Row> left = leases(ids);
    assertThat(left).hasSize(1);
    assertThat(left.get(0).getLong("id")).as("the old lease went, the new one stays").isNotEqualTo(oldLease);

    // The second claim left in submitting as long is swept through its own lease.
    backdate(ids, Duration.ofMinutes(10));
    swept = await(ledger.sweepStuck(Duration.ofMinutes(2), Instant.now(), true));
    assertThat(swept.counts).isEqualTo(Map.of(campaign, 1));
    assertThat(status(ids[0])).isEqualTo("queued");
    assertThat(leases(ids)).isEmpty();
  }

  @Test
  void aYoungLeaseStaysAndItsMessageIsLeftAlone() {
    long campaign = runningCampaign("young");
    Long[] ids = queued(campaign, 2);
    await(ledger.claim(ids, Instant.now()));
    LedgerStore.Swept swept = await(ledger.sweepStuck(Duration.ofMinutes(2), Instant.now(), true));
    assertThat(swept.counts).isEmpty();
    assertThat(status(ids[0])).isEqualTo("submitting");
    assertThat(leases(ids)).hasSize(1);
  }

  private static long runningCampaign(String name) {
    return CampaignFixtures.runningCampaign(pool, name, true);
  }

  private static Long[] queued(long campaign, int n) {
    return CampaignFixtures.queuedMessages(pool, campaign, n);
  }

  /** Moves the messages' lease time and their lease rows' back, as if claimed that long ago. */
  private static void backdate(Long[] ids, Duration ago) {
    Tuple args = Tuple.of(ids, (double) ago.toSeconds());
    await(pool.preparedQuery("UPDATE message SET leased_at = leased_at - make_interval(secs => $2) WHERE id = ANY($1)")
        .execute(args));
    await(pool.preparedQuery("UPDATE message_lease SET leased_at = leased_at - make_interval(secs => $2) WHERE ids && $1")
        .execute(args));
  }

  private static List<Row> leases(Long[] ids) {
    List<Row> out = new ArrayList<>();
    await(pool.preparedQuery("SELECT id, leased_at, ids FROM message_lease WHERE ids && $1 ORDER BY id")
        .execute(Tuple.of((Object) ids))).forEach(out::add);
    return out;
  }

  private static String status(long id) {
    return await(pool.preparedQuery("SELECT status FROM message WHERE id = $1").execute(Tuple.of(id)))
        .iterator().next().getString(0);
  }
}
