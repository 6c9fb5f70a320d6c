package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.db.Database;
import org.qingfeng.sms.events.KafkaEventsReader;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.ServerProcess;
import org.qingfeng.testing.TestInfra;

/**
 * Expansion keeps several page transactions open at once (campaign.expand-commits) yet its
 * checkpoint stays exact: stopped part-way, by an operator pause or by SIGKILL of the server
 * process, and started again, it puts each audience member in the ledger once, counts each
 * exclusion once, and every ledger row reaches sms.outbound. Pages of 10 contacts make the
 * expansion long enough to be interrupted; no sender runs, so the ledger stays as expanded.
 */
@QingfengTest
@Timeout(value = 360, unit = TimeUnit.SECONDS)
class CampaignExpansionCheckpointTest {
  private static final int CONTACTS = 6_000;
  private static final int OPTED_OUT = 300;
  private static final int INVALID = 200;
  private static final Map<String, String> EXPANDER_ONLY = Map.of("QINGFENG_ROLES", "api,scheduler",
      "QINGFENG_CAMPAIGN_EXPAND_PAGE_SIZE", "10", "QINGFENG_CAMPAIGN_EXPAND_COMMITS", "3",
      "QINGFENG_POSTGRES_POOL_SIZE", "8", "QINGFENG_CAMPAIGN_SCHEDULER_LOCK_RETRY_MS", "500");
  @TempDir Path tmp;

  /** An audience with opt-outs and invalid numbers; the phones that must each get one ledger row. */
  private static Set<String> audience(Pool pool, String tag, int first) {
    List<String> phones = new ArrayList<>();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < CONTACTS - INVALID; i++) {
      String p = CampaignFixtures.mobile(first + i);
      phones.add(p);
      if (i >= OPTED_OUT) {
        expected.add(p);
      }
    }
    for (int i = 0; i < INVALID; i++) {
      phones.add(String.format("+86137%05d", first / 100 + i)); // the right shape, too short for a Chinese mobile
    }
    CampaignFixtures.insertContacts(pool, phones, tag);
    CampaignFixtures.optOut(pool, phones.subList(0, OPTED_OUT));
    return expected;
  }

  private static long startSoon(Http http, String tag) {
    String operator = CampaignFixtures.token(http, "operator", "op-" + tag);
    String approver = CampaignFixtures.token(http, "approver", "ap-" + tag);
    String sendAt = OffsetDateTime.ofInstant(Instant.now().plusSeconds(2), ZoneOffset.ofHours(8)).toString();
    return CampaignFixtures.approved(http, operator, approver, CampaignFixtures.campaign(tag, sendAt, CampaignFixtures.tagged(tag)));
  }

  private static Row campaignRow(Pool pool, long id) {
    return Http.await(pool.preparedQuery("SELECT expand_cursor, expand_done, status, audience_matched, excluded_opted_out, "
        + "excluded_invalid, excluded_capped FROM campaign WHERE id = $1").execute(Tuple.of(id))).iterator().next();
  }

  /** The audience's first contact id; the first OPTED_OUT contacts after it get no ledger row. */
  private static long firstContact(Pool pool, String tag) {
    return CampaignFixtures.scalar(pool, "SELECT min(id) FROM contact WHERE $1 = ANY(tags)", tag);
  }

  /** Waits until the campaign is part-way through its expansion; its checkpoint then. */
  private static long awaitPartWay(Pool pool, long id, long beyond) throws InterruptedException {
    CampaignFixtures.await("expansion past contact " + beyond, Duration.ofSeconds(120),
        () -> campaignRow(pool, id).getLong("expand_cursor") > beyond);
    Row r = campaignRow(pool, id);
    assertThat(r.getBoolean("expand_done")).as("still expanding when interrupted").isFalse();
    return r.getLong("expand_cursor");
  }

  @Test
  void pausedAndResumedThreeTimesMidExpansionEachMemberOnceEachExclusionCountedOnce(TestInfra infra) throws Exception {
    QingfengServer server = infra.startServer(EXPANDER_ONLY);
    try (Http http = new Http(server.httpPort())) {
      Set<String> expected = audience(server.pool(), "pauses", 0);
      long id = startSoon(http, "pauses");
      String operator = CampaignFixtures.token(http, "operator", "op-pauser");
      long cursor = firstContact(server.pool(), "pauses") + OPTED_OUT;
      for (int round = 0; round < 3; round++) {
        cursor = awaitPartWay(server.pool(), id, cursor);
        CampaignFixtures.post(http, "/api/v1/campaigns/" + id + "/pause", operator, null, 200);
        Thread.sleep(500);
        long atPause = campaignRow(server.pool(), id).getLong("expand_cursor");
        Thread.sleep(500);
        assertThat(campaignRow(server.pool(), id).getLong("expand_cursor")).as("no page commits while paused")
            .isEqualTo(atPause);
        assertLedgerIsTheCheckpoint(server.pool(), id, "pauses", expected);
        CampaignFixtures.post(http, "/api/v1/campaigns/" + id + "/resume", operator, null, 200);
        cursor = atPause;
      }
      CampaignFixtures.await("expansion done", Duration.ofSeconds(120), () -> campaignRow(server.pool(), id).getBoolean("expand_done"));
      assertExpandedOnce(infra, server.pool(), id, expected);
    } finally {
      server.stop();
    }
  }

  @Test
  void sigkillMidExpansionThenRestartEachMemberOnceEachExclusionCountedOnce(TestInfra infra) throws Exception {
    Vertx vertx = Vertx.vertx();
    Map<String, String> env = new HashMap<>(infra.serverEnv(EXPANDER_ONLY));
    int port = ServerProcess.freePort();
    Pool pool = Database.pool(vertx, infra.database(), 2);
    try {
      long id;
      Set<String> expected;
      try (ServerProcess first = ServerProcess.start(env, port, tmp.resolve("first.log"), "-Xmx256m")) {
        first.awaitReady(Duration.ofSeconds(120));
        expected = audience(pool, "killed", 1_000_000);
        try (Http http = new Http(port)) {
          id = startSoon(http, "killed");
        }
        awaitPartWay(pool, id, firstContact(pool, "killed") + 1_000);
        first.kill();
      }
      Row atKill = campaignRow(pool, id);
      assertThat(atKill.getBoolean("expand_done")).as("killed mid-expansion").isFalse();
      assertLedgerIsTheCheckpoint(pool, id, "killed", expected);

      try (ServerProcess second = ServerProcess.start(env, port, tmp.resolve("second.log"), "-Xmx256m")) {
        second.awaitReady(Duration.ofSeconds(120));
        CampaignFixtures.await("expansion done after the restart", Duration.ofSeconds(180),
            () -> campaignRow(pool, id).getBoolean("expand_done"));
        assertExpandedOnce(infra, pool, id, expected);
      }
    } finally {
      Http.await(pool.close());
      Http.await(vertx.close());
    }
  }

  /**
   * What is committed is exactly the pages up to the checkpoint: a ledger row for every
   * expected member at or before it, none after it (no page committed ahead of an earlier one,
   * no rows without their checkpoint).
   */
  private static void assertLedgerIsTheCheckpoint(Pool pool, long id, String tag, Set<String> expected) {
    long cursor = campaignRow(pool, id).getLong("expand_cursor");
    Set<String> upToCursor = new HashSet<>();
    for (Row r : Http.await(pool.preparedQuery("SELECT phone FROM contact WHERE $1 = ANY(tags) AND id <= $2")
        .execute(Tuple.of(tag, cursor)))) {
      if (expected.contains(r.getString(0))) {
        upToCursor.add(r.getString(0));
      }
    }
    Set<String> ledger = new HashSet<>();
    long rows = 0;
    for (Row r : Http.await(pool.preparedQuery("SELECT phone, contact_id FROM message WHERE campaign_id = $1").execute(Tuple.of(id)))) {
      assertThat(r.getLong(1)).as("ledger row after the checkpoint %d", cursor).isLessThanOrEqualTo(cursor);
      ledger.add(r.getString(0));
      rows++;
    }
    assertThat(upToCursor).as("members up to the checkpoint").isNotEmpty();
    assertThat(ledger).as("the ledger is the members up to the checkpoint %d", cursor).isEqualTo(upToCursor);
    assertThat(rows).isEqualTo(upToCursor.size());
  }

  /**
   * The campaign's counters add up to the audience exactly once (a page applied twice would
   * count its exclusions twice), the ledger holds each expected phone once and nothing else,
   * and every ledger row was produced to sms.outbound (at least once: the requeue pass after a
   * stop may produce a row again, which the sender's claim absorbs).
   */
  private static void assertExpandedOnce(TestInfra infra, Pool pool, long id, Set<String> expected) {
    Row c = campaignRow(pool, id);
    assertThat(c.getInteger("audience_matched")).isEqualTo(CONTACTS);
    assertThat(c.getInteger("excluded_opted_out")).isEqualTo(OPTED_OUT);
    assertThat(c.getInteger("excluded_invalid")).isEqualTo(INVALID);
    assertThat(c.getInteger("excluded_capped")).isZero();

    Map<String, Long> ledger = new HashMap<>();
    Set<Long> ids = new HashSet<>();
    for (Row r : Http.await(pool.preparedQuery("SELECT id, phone FROM message WHERE campaign_id = $1").execute(Tuple.of(id)))) {
      ids.add(r.getLong(0));
      ledger.merge(r.getString(1), 1L, Long::sum);
    }
    assertThat(ledger.keySet()).as("each expected phone in the ledger, nothing else").isEqualTo(expected);
    assertThat(ledger.values()).as("each phone once").allMatch(n -> n == 1);

    Set<Long> produced = new HashSet<>();
    try (KafkaEventsReader reader = new KafkaEventsReader(infra, infra.topicPrefix() + "sms.outbound", "check-" + id)) {
      reader.readUntil(records -> {
        for (ConsumerRecord<String, String> r : records) {
          JsonObject v = new JsonObject(r.value());
          if (v.getLong("campaignId") == id) {
            produced.add(v.getLong("messageId"));
          }
        }
        records.clear();
        return produced.containsAll(ids);
      }, 60_000);
    }
    assertThat(produced).as("every ledger row produced to sms.outbound").containsAll(ids);
    assertThat(ids).as("nothing produced that is not in the ledger").containsAll(produced);
  }
}
