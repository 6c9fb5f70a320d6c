package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
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
 * Two servers on one database: 200 screens long-poll server B, the alert is raised through
 * server A. Postgres NOTIFY must wake them all within a second; the alert comes first, and
 * leaves their playlists at its expiry (which wakes the long-polls again).
 */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LedAlertFanoutTest {
  static final int SCREENS = 200;
  static QingfengServer a;
  static QingfengServer b;
  static LedClient viaA;
  static LedClient viaB;
  static long group;
  static final List<String> creds = new ArrayList<>();

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    a = infra.startServer(Map.of("QINGFENG_ROLES", "api,sink,led"));
    b = infra.startServer(Map.of("QINGFENG_ROLES", "api,led", "QINGFENG_DATA_DIR", infra.dataDir().resolve("b").toString()));
    viaA = new LedClient(a.httpPort());
    viaB = new LedClient(b.httpPort());
    group = viaA.group("G75 road corridor", "corridor");
    viaA.adminOk(HttpMethod.POST, "/api/v1/led/items", new JsonObject().put("text", "严守纪律规矩").put("category", "rule")
        .put("priority", 50).put("target_groups", new JsonArray().add(group)));
    creds.addAll(viaA.screens("hw-fan-", SCREENS, group));
  }

  @AfterAll
  static void stop() {
    for (LedClient c : new LedClient[] {viaA, viaB}) {
      if (c != null) {
        c.close();
      }
    }
    for (QingfengServer s : new QingfengServer[] {a, b}) {
      if (s != null) {
        s.stop();
      }
    }
  }

  @Test
  void alertRaisedOnOneInstanceWakesLongPollsOnAnotherWithinASecondAndLeavesAtExpiry() throws Exception {
    List<String> etags = new ArrayList<>();
    for (String c : creds) {
      HttpResponse<Buffer> r = viaB.poll(c, null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getBoolean("alert_active")).isFalse();
      etags.add(r.getHeader("ETag"));
    }
    List<Future<HttpResponse<Buffer>>> polls = new ArrayList<>();
    long[] arrivedAt = new long[SCREENS];
    for (int i = 0; i < SCREENS; i++) {
      int n = i;
      polls.add(viaB.pollAsync(creds.get(i), etags.get(i), "?wait=30").onSuccess(r -> arrivedAt[n] = System.nanoTime()));
    }
    awaitHeld(SCREENS);

    long t0 = System.nanoTime();
    JsonObject alert = viaA.adminOk(HttpMethod.POST, "/api/v1/led/alerts", new JsonObject().put("text", "紧急通知：道路封闭")
        .put("target_groups", new JsonArray().add(group)).put("ttl_s", 4));
    Instant expires = Instant.parse(alert.getString("expires_at"));
    assertThat(alert.getInteger("target_screens")).isEqualTo(SCREENS);
    Http.await(Future.all(new ArrayList<>(polls)));
    long slowestMs = 0;
    List<String> alertEtags = new ArrayList<>();
    for (int i = 0; i < SCREENS; i++) {
      HttpResponse<Buffer> r = polls.get(i).result();
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject first = r.bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
      assertThat(first.getString("kind")).isEqualTo("alert");
      assertThat(first.getLong("alert_id")).isEqualTo(alert.getLong("id"));
      assertThat(first.getString("text")).isEqualTo("紧急通知：道路封闭");
      assertThat(r.bodyAsJsonObject().getJsonArray("items").getJsonObject(1).getString("kind")).isEqualTo("item");
      slowestMs = Math.max(slowestMs, (arrivedAt[i] - t0) / 1_000_000);
      alertEtags.add(r.getHeader("ETag"));
    }
    assertThat(slowestMs).as("slowest of %d long-polls after the alert, ms", SCREENS).isLessThan(1000);

    // Three screens confirm showing it (proof of play names the alert and its hash).
    for (int i = 0; i < 3; i++) {
      JsonObject play = new JsonObject().put("client_play_id", "alert-" + i).put("alert_id", alert.getLong("id"))
          .put("content_hash", alert.getString("content_hash")).put("started_at", Instant.now().toString()).put("duration_ms", 10_000);
      assertThat(viaB.postPlays(creds.get(i), new JsonObject().put("plays", new JsonArray().add(play))).statusCode()).isEqualTo(202);
    }

    // At expiry the long-polls are woken again and the alert is gone.
    List<Future<HttpResponse<Buffer>>> afterwards = new ArrayList<>();
    for (int i = 0; i < SCREENS; i += 20) {
      afterwards.add(viaB.pollAsync(creds.get(i), alertEtags.get(i), "?wait=30"));
    }
    Http.await(Future.all(new ArrayList<>(afterwards)));
    assertThat(Instant.now()).isAfterOrEqualTo(expires);
    for (Future<HttpResponse<Buffer>> f : afterwards) {
      assertThat(f.result().statusCode()).isEqualTo(200);
      JsonArray items = f.result().bodyAsJsonObject().getJsonArray("items");
      assertThat(items.stream().map(o -> ((JsonObject) o).getString("kind"))).doesNotContain("alert");
      assertThat(Instant.now()).isBefore(expires.plusSeconds(3));
    }

    JsonObject report = null;
    for (int i = 0; i < 100; i++) {
      report = viaA.adminOk(HttpMethod.GET, "/api/v1/led/reports/alerts/" + alert.getLong("id"), null);
      if (report.getInteger("confirmed") == 3) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(report.getInteger("targeted")).isEqualTo(SCREENS);
    assertThat(report.getInteger("confirmed")).isEqualTo(3);
    assertThat(report.getJsonArray("unconfirmed_screens")).hasSize(SCREENS - 3);

    // Server B coalesced the last-seen times of its polls and flushes them (every 5 s by default).
    long seen = 0;
    for (int i = 0; i < 100 && seen < SCREENS; i++) {
      seen = Http.await(b.pool().query("SELECT count(*) FROM led_screen WHERE last_seen_at IS NOT NULL").execute())
          .iterator().next().getLong(0);
      Thread.sleep(100);
    }
    assertThat(seen).isEqualTo(SCREENS);
  }

  @Test
  void clearingAnAlertRemovesItAtOnce() {
    String cred = creds.get(0);
    JsonObject alert = viaA.adminOk(HttpMethod.POST, "/api/v1/led/alerts", new JsonObject().put("text", "暂时通知")
        .put("target_screens", new JsonArray().add(LedClient.idOf(cred))).put("ttl_s", 600));
    assertThat(viaA.poll(cred, null).bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getLong("alert_id"))
        .isEqualTo(alert.getLong("id"));
    // Server B learns of the alert through NOTIFY, a moment later: hold there once it shows it.
    HttpResponse<Buffer> with = viaB.poll(cred, null);
    for (int i = 0; i < 100 && !with.bodyAsJsonObject().getBoolean("alert_active"); i++) {
      Http.await(viaB.vertx.timer(20));
      with = viaB.poll(cred, null);
    }
    assertThat(with.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getLong("alert_id")).isEqualTo(alert.getLong("id"));
    // Server B learns of the alert through LISTEN/NOTIFY: wait until it serves the same playlist,
    // or its long-poll would (rightly) answer at once with the newer one.
    for (int i = 0; i < 200 && !with.getHeader("ETag").equals(viaB.poll(cred, null).getHeader("ETag")); i++) {
      sleep(25);
    }
    Future<HttpResponse<Buffer>> held = viaB.pollAsync(cred, with.getHeader("ETag"), "?wait=20");
    awaitHeld(1);
    assertThat(viaA.admin(HttpMethod.DELETE, "/api/v1/led/alerts/" + alert.getLong("id"), null).statusCode()).isEqualTo(204);
    HttpResponse<Buffer> after = Http.await(held);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.bodyAsJsonObject().getBoolean("alert_active")).isFalse();
    assertThat(viaA.admin(HttpMethod.DELETE, "/api/v1/led/alerts/" + alert.getLong("id"), null).statusCode()).isEqualTo(404);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitHeld(int n) {
    for (int i = 0; i < 200; i++) {
      if (viaB.adminOk(HttpMethod.GET, "/api/v1/led/health", null).getInteger("long_polls_held_here") >= n) {
        return;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    throw new AssertionError("server B never held " + n + " long-polls");
  }
}
