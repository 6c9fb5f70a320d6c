package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.testing.Http.await;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
 * The claim and the outcome are HOT updates: no index names a column they change, and the
 * ledger's pages keep room for the new versions. Run as the sender runs them (claims of 200 ids,
 * outcomes written 50 at a time) over freshly inserted rows filling many pages, every update is
 * counted HOT and every row stays on its page. This class has its own database, so the table's
 * counters are this test's alone.
 */
@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LedgerHotUpdateTest {
  static final int MESSAGES = 1000;
  static Vertx vertx;
  /** One connection: the flush of its statistics can be forced right after its updates. */
  static Pool writer;
  static Pool reader;

  @BeforeAll
  static void setUp(TestInfra infra) {
    Migrations.migrate(infra.database());
    vertx = Vertx.vertx();
    writer = Database.pool(vertx, infra.database(), 1);
    reader = Database.pool(vertx, infra.database(), 1);
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void theClaimAndTheOutcomeAreHotUpdates() throws InterruptedException {
    LedgerStore ledger = new LedgerStore(writer);
    long campaign = CampaignFixtures.runningCampaign(writer, "hot", true);
    Long[] ids = CampaignFixtures.queuedMessages(writer, campaign, MESSAGES);
    Map<Long, Long> pageBefore = pages(campaign);
    assertThat(new HashSet<>(pageBefore.values()).size()).as("the rows fill many pages").isGreaterThan(10);

    for (int from = 0; from < ids.length; from += 200) {
      Long[] chunk = Arrays.copyOfRange(ids, from, Math.min(ids.length, from + 200));
      assertThat(await(ledger.claim(chunk, Instant.now())).size()).isEqualTo(chunk.length);
      for (int o = 0; o < chunk.length; o += 50) {
        List<LedgerStore.Outcome> outcomes = new ArrayList<>();
        for (int i = o; i < Math.min(chunk.length, o + 50); i++) {
          outcomes.add(new LedgerStore.Outcome(chunk[i], campaign, "submitted",
              String.format("%016x", chunk[i] * 7919), null, false));
        }
        await(ledger.recordOutcomes(outcomes, Instant.now()));
      }
    }

    assertThat(CampaignFixtures.scalar(reader, "SELECT count(*) FROM message WHERE status = 'submitted'"))
        .isEqualTo(MESSAGES);
    Map<Long, Long> pageAfter = pages(campaign);
    assertThat(pageBefore.keySet().stream().filter(id -> !pageBefore.get(id).equals(pageAfter.get(id))).count())
        .as("rows whose latest version left the page they were inserted in").isZero();

    // The writer's counters reach the shared statistics when it goes idle after this statement.
    await(writer.query("SELECT pg_stat_force_next_flush()").execute());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Row stats = tableStats();
    while (stats.getLong("n_tup_upd") < 2L * MESSAGES && System.nanoTime() < deadline) {
      Thread.sleep(100);
      stats = tableStats();
    }
    assertThat(stats.getLong("n_tup_upd")).isEqualTo(2L * MESSAGES);
    assertThat(stats.getLong("n_tup_hot_upd")).as("HOT updates of %s", stats.toJson()).isEqualTo(2L * MESSAGES);
  }

  private static Row tableStats() {
    return await(reader.query("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'message'")
        .execute()).iterator().next();
  }

  /** Each message's heap page (the block number of its ctid). */
  private static Map<Long, Long> pages(long campaign) {
    Map<Long, Long> out = new HashMap<>();
    await(reader.preparedQuery("SELECT id, (ctid::text::point)[0]::bigint FROM message WHERE campaign_id = $1")
        .execute(Tuple.of(campaign))).forEach(r -> out.put(r.getLong(0), r.getLong(1)));
    return out;
  }
}
