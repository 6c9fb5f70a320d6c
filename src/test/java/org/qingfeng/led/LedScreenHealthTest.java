package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * Issue 6 end to end: a screen is offline in GET /api/v1/led/health once 1.1 x its poll interval
 * plus the grace passes without a poll, and online again when it polls, whether its last-seen
 * time is still in memory, already flushed to Postgres, or on its way there.
 */
@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LedScreenHealthTest {
  // The shortest settings the configuration allows (poll interval at least 5 s; the grace must
  // cover a flush period), so a silent screen is offline after 6.5 s and the test waits little.
  private static final int POLL_S = 5;
  private static final int GRACE_S = 1;
  private static final int FLUSH_MS = 200;
  private static final Duration LIMIT = Duration.ofMillis(POLL_S * 1100L + GRACE_S * 1000L);
  private static final Duration PACE = Duration.ofMillis(100);

  static QingfengServer server;
  static LedClient led;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_LED_POLL_INTERVAL_S", String.valueOf(POLL_S),
        "QINGFENG_LED_OFFLINE_GRACE_S", String.valueOf(GRACE_S), "QINGFENG_LED_LAST_SEEN_FLUSH_MS", String.valueOf(FLUSH_MS)));
    led = new LedClient(server.httpPort());
  }

  @AfterAll
  static void stop() {
    LedClient.stop(led, server);
  }

  @Test
  void aScreenIsOfflineOnceItsLimitPassesWithoutAPollAndOnlineWhenItPollsAgain() {
    String polled = led.screen("hw-health-polled", null);
    long polledId = LedClient.idOf(polled);
    long silentId = LedClient.idOf(led.screen("hw-health-silent", null));
    assertThat(led.adminOk(HttpMethod.GET, "/api/v1/led/screens?status=active", null).getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getInteger("poll_interval_s"))).containsOnly(POLL_S);
    assertHealth(health(), 0, List.of(polledId, silentId));

    Instant pollStart = Instant.now();
    assertThat(led.poll(polled, null).statusCode()).isEqualTo(200);
    Instant pollEnd = Instant.now();
    assertHealth(health(), 1, List.of(silentId));

    // Watch it through many flushes: online until the limit has passed, then offline.
    JsonObject wentOffline = null;
    int onlineAnswers = 0;
    Instant deadline = pollEnd.plus(LIMIT).plusSeconds(5);
    while (wentOffline == null) {
      assertThat(Instant.now()).as("offline by %s", deadline).isBefore(deadline);
      Instant asked = Instant.now();
      JsonObject h = health();
      Instant answered = Instant.now();
      if (offlineIds(h).contains(polledId)) {
        // The server read its clock between asked and answered, and saw the poll at or after pollStart.
        assertThat(Duration.between(pollStart, answered)).as("offline too early").isGreaterThan(LIMIT);
        wentOffline = h;
      } else {
        // (The server counts whole milliseconds, hence the one of slack.)
        assertThat(Duration.between(pollEnd, asked)).as("still online after its limit").isLessThanOrEqualTo(LIMIT.plusMillis(1));
        assertHealth(h, 1, List.of(silentId));
        onlineAnswers++;
      }
      pause();
    }
    assertThat(onlineAnswers).as("health answers while online").isGreaterThan(10);
    assertHealth(wentOffline, 0, List.of(polledId, silentId));
    // By now the time was flushed to Postgres (memory no longer holds it): the list shows that time.
    Instant stored = storedLastSeen(polledId);
    assertThat(stored).isBetween(pollStart.truncatedTo(ChronoUnit.MILLIS), pollEnd);
    JsonObject entry = entryFor(wentOffline, polledId);
    assertThat(Instant.parse(entry.getString("last_seen_at"))).isEqualTo(stored);
    assertThat(entry.getLong("silent_s")).isGreaterThanOrEqualTo(LIMIT.toSeconds());
    assertThat(entryFor(wentOffline, silentId).getValue("last_seen_at")).isNull();

    // Polling again: online at once, from memory, while Postgres still holds the stale time...
    assertThat(led.poll(polled, null).statusCode()).isEqualTo(200);
    assertHealth(health(), 1, List.of(silentId));
    // ...and still online once the new time is flushed.
    while (!storedLastSeen(polledId).isAfter(stored)) {
      assertThat(Instant.now()).as("flushed by %s", deadline).isBefore(deadline.plusSeconds(5));
      pause();
    }
    assertHealth(health(), 1, List.of(silentId));
  }

  @Test
  void aScreenThatPolledStaysOnlineWhileItsLastSeenIsBeingFlushed() {
    String cred = led.screen("hw-health-flushing", null);
    long id = LedClient.idOf(cred);
    SqlConnection conn = Http.await(server.pool().getConnection());
    Transaction tx = Http.await(conn.begin());
    try {
      // Holding the screen's row keeps the next flush's UPDATE waiting: the flush is in flight,
      // as it is for a moment on every flush, and for longer whenever Postgres is slow.
      Http.await(conn.preparedQuery("SELECT id FROM led_screen WHERE id = $1 FOR UPDATE").execute(Tuple.of(id)));
      assertThat(led.poll(cred, null).statusCode()).isEqualTo(200);
      Instant polled = Instant.now();
      while (!flushWaitingForLock()) {
        assertThat(Instant.now()).as("a flush started").isBefore(polled.plusSeconds(5));
        pause();
      }
      JsonObject h = health();
      Duration since = Duration.between(polled, Instant.now());
      assertThat(since).as("checked well inside the limit").isLessThan(LIMIT);
      assertThat(offlineIds(h)).as("polled %s ago, its last-seen being flushed: %s", since, h).doesNotContain(id);
    } finally {
      Http.await(tx.rollback().compose(v -> conn.close()));
      // Leave no screen behind that would go offline under the other test's counts.
      led.adminOk(HttpMethod.POST, "/api/v1/led/screens/" + id + "/revoke", null);
    }
  }

  @Test
  void aScreenHoldingALongPollLongerThanItsLimitStaysOnline() {
    String cred = led.screen("hw-health-waiting", null);
    long id = LedClient.idOf(cred);
    try {
      String etag = led.poll(cred, null).getHeader("ETag");
      Instant polled = Instant.now();
      int waitS = (int) LIMIT.toSeconds() + 4;
      Future<HttpResponse<Buffer>> held = led.pollAsync(cred, etag, "?wait=" + waitS);
      // Past the limit counted from the poll's start, and still held: the screen is connected.
      while (Duration.between(polled, Instant.now()).compareTo(LIMIT.plusSeconds(1)) < 0) {
        pause();
      }
      assertThat(held.isComplete()).as("still held").isFalse();
      JsonObject h = health();
      Duration holding = Duration.between(polled, Instant.now());
      assertThat(offlineIds(h)).as("holding a long-poll for %s: %s", holding, h).doesNotContain(id);
      // Postgres has it too (another instance's health reads that): flushed while the poll was held.
      assertThat(storedLastSeen(id)).isAfter(polled.plus(LIMIT.minusSeconds(2)));
      assertThat(Http.await(held).statusCode()).isEqualTo(304);
    } finally {
      led.adminOk(HttpMethod.POST, "/api/v1/led/screens/" + id + "/revoke", null);
    }
  }

  private static JsonObject health() {
    return led.adminOk(HttpMethod.GET, "/api/v1/led/health", null);
  }

  /** Counts and the offline list agree: every active screen is online or listed offline. */
  private static void assertHealth(JsonObject h, int online, List<Long> offline) {
    assertThat(offlineIds(h)).as("offline list in %s", h).containsExactlyInAnyOrderElementsOf(offline);
    assertThat(h.getInteger("online")).as("online in %s", h).isEqualTo(online);
    assertThat(h.getInteger("offline")).as("offline in %s", h).isEqualTo(offline.size());
    assertThat(h.getInteger("active")).as("active in %s", h).isEqualTo(online + offline.size());
  }

  private static List<Long> offlineIds(JsonObject h) {
    return h.getJsonArray("offline_screens").stream().map(o -> ((JsonObject) o).getLong("screen_id")).toList();
  }

  private static JsonObject entryFor(JsonObject h, long id) {
    return h.getJsonArray("offline_screens").stream().map(o -> (JsonObject) o)
        .filter(o -> o.getLong("screen_id") == id).findFirst().orElseThrow();
  }

  private static Instant storedLastSeen(long id) {
    OffsetDateTime t = Http.await(server.pool().preparedQuery("SELECT last_seen_at FROM led_screen WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next().getOffsetDateTime(0);
    return t == null ? Instant.EPOCH : t.toInstant();
  }

  /**
   * Whether the last-seen flush's UPDATE is blocked on a row lock. Asked on another connection:
   * inside the locking transaction pg_stat_activity would stay as it was at its first read.
   */
  private static boolean flushWaitingForLock() {
    return Http.await(server.pool().query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        + "AND wait_event_type = 'Lock' AND query LIKE 'UPDATE led_screen s SET last_seen_at%'").execute())
        .iterator().next().getLong(0) > 0;
  }

  private static void pause() {
    Http.await(led.vertx.timer(PACE.toMillis()));
  }
}
