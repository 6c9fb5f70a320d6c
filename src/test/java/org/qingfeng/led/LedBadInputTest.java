package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
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

/** Bad input is a 4xx problem+json and changes nothing: no item, no version, no library, no play. */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LedBadInputTest {
  static QingfengServer server;
  static LedClient led;
  static long group;
  static String cred;
  static JsonObject item;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_LED_TEXT_MAX_CHARS", "200", "QINGFENG_LED_MAX_WAITERS", "2"));
    led = new LedClient(server.httpPort());
    group = led.group("Ganxi unit", "unit");
    cred = led.screen("hw-bad-1", null, group);
    item = led.adminOk(HttpMethod.POST, "/api/v1/led/items", new JsonObject().put("text", "为政清廉").put("category", "aphorism")
        .put("target_groups", new JsonArray().add(group)));
  }

  @AfterAll
  static void stop() {
    LedClient.stop(led, server);
  }

  static void assertProblem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
  }

  static long count(String table) {
    return Http.await(server.pool().query("SELECT count(*) FROM " + table).execute()).iterator().next().getLong(0);
  }

  static JsonObject play(String id, long itemId, String hash, Instant at) {
    return LedPlaysAndReportsTest.play(id, itemId, hash, at);
  }

  @Test
  void badPlayBatchesStoreNothing() throws Exception {
    String hash = item.getString("content_hash");
    long id = item.getLong("id");
    Instant now = Instant.now();
    JsonObject good = play("ok-1", id, hash, now.minusSeconds(30));
    // An unknown item among good plays.
    assertProblem(led.postPlays(cred, new JsonObject().put("plays", new JsonArray().add(good).add(play("x", 999_999, hash, now)))), 422);
    // A known item with a hash it never had.
    assertProblem(led.postPlays(cred, new JsonObject().put("plays", new JsonArray().add(good)
        .add(play("y", id, LedText.hash("something else"), now)))), 422);
    // A start in the future (beyond the clock-skew allowance).
    assertProblem(led.postPlays(cred, new JsonObject().put("plays", new JsonArray().add(good).add(play("z", id, hash, now.plusSeconds(3600))))), 422);
    // 10,000 plays: over the batch limit, refused whole (its 1.8 MB also exceed the body limit,
    // which answers first).
    assertProblem(led.postPlays(cred, new JsonObject().put("plays", plays(10_000, id, hash, now))), 413);
    // One play over the count limit (1,000), small enough to pass the body limit: the count refuses it.
    HttpResponse<Buffer> overCount = led.postPlays(cred, new JsonObject().put("plays", plays(1_001, id, hash, now)));
    assertProblem(overCount, 413);
    assertThat(overCount.bodyAsJsonObject().getString("detail")).contains("at most 1000 plays").contains("1001");
    // Shape errors.
    assertProblem(led.postPlays(cred, new JsonObject().put("plays", new JsonArray())), 422);
    assertProblem(led.postPlays(cred, new JsonObject().put("plays", new JsonArray().add(good.copy().put("duration_ms", -1)))), 422);
    assertProblem(led.postPlays(cred, new JsonObject().put("plays", new JsonArray().add(good.copy().put("alert_id", 1)))), 422);
    assertProblem(led.postPlays(cred, new JsonObject().put("plays", new JsonArray().add(good.copy().put("started_at", "yesterday")))), 422);
    assertProblem(led.postPlays(id + ".not-the-secret", new JsonObject().put("plays", new JsonArray().add(good))), 401);

    // A good batch from the same screen goes to the same partition after every refused one:
    // once it is stored, anything sent before it would have been too.
    assertThat(led.postPlays(cred, new JsonObject().put("plays", new JsonArray().add(good))).statusCode()).isEqualTo(202);
    for (int i = 0; i < 100 && count("led_play") == 0; i++) {
      Thread.sleep(100);
    }
    assertThat(count("led_play")).isEqualTo(1);
    assertThat(Http.await(server.pool().query("SELECT client_play_id FROM led_play").execute()).iterator().next().getString(0))
        .isEqualTo("ok-1");
  }

  @Test
  void longPollsBeyondTheBoundAre503WithRetryAfter() {
    HttpResponse<Buffer> first = led.poll(cred, null);
    String etag = first.getHeader("ETag");
    var held1 = led.pollAsync(cred, etag, "?wait=3");
    var held2 = led.pollAsync(cred, etag, "?wait=3");
    for (int i = 0; i < 100 && led.adminOk(HttpMethod.GET, "/api/v1/led/health", null).getInteger("long_polls_held_here") < 2; i++) {
      Http.await(led.vertx.timer(20));
    }
    HttpResponse<Buffer> refused = Http.await(led.pollAsync(cred, etag, "?wait=3"));
    assertProblem(refused, 503);
    assertThat(Integer.parseInt(refused.getHeader("Retry-After"))).isPositive();
    // A plain poll is still answered; the held ones end with 304 when their wait is over.
    assertThat(led.poll(cred, etag).statusCode()).isEqualTo(304);
    assertThat(Http.await(held1).statusCode()).isEqualTo(304);
    assertThat(Http.await(held2).statusCode()).isEqualTo(304);
  }

  @Test
  void badItemsStoreNothing() {
    long items = count("led_item");
    long versions = count("led_item_version");
    JsonObject base = new JsonObject().put("text", "清正廉洁").put("category", "rule").put("target_groups", new JsonArray().add(group));
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/items", base.copy().put("text", "长".repeat(201)).encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/items", base.copy().put("dayparts", new JsonArray().add("25:00-26:00")).encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/items", base.copy().put("dayparts", new JsonArray().add("08:00-08:00")).encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/items", base.copy().put("weekdays", new JsonArray().add(8)).encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/items", base.copy().put("category", "slogan").encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/items", base.copy().put("colour", "red").encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/items", base.copy().put("target_groups", new JsonArray().add(4242)).encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/items", base.copy().put("valid_from", "2025-02-01T00:00:00+08:00")
        .put("valid_until", "2025-01-01T00:00:00+08:00").encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/items", base.copy().put("text", "a\u0000b").encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/items", "{not json"), 400);
    assertProblem(led.admin(HttpMethod.PATCH, "/api/v1/led/items/" + item.getLong("id"),
        new JsonObject().put("text", "长".repeat(201)).encode()), 422);
    assertProblem(led.admin(HttpMethod.PATCH, "/api/v1/led/items/" + item.getLong("id"),
        new JsonObject().put("dayparts", new JsonArray().add("noon")).encode()), 422);
    assertThat(count("led_item")).isEqualTo(items);
    assertThat(count("led_item_version")).isEqualTo(versions);
  }

  @Test
  void aBadLineRollsTheWholeImportBack() {
    long items = count("led_item");
    long libraries = count("led_library");
    Map<String, String> auth = Map.of("Authorization", "Bearer " + TestInfra.ADMIN_TOKEN);
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 2500; i++) {
      file.append("规则 ").append(i).append('\n');
    }
    file.append("长".repeat(201)).append('\n').append("最后一条\n");
    HttpResponse<Buffer> r = led.call(HttpMethod.POST, "/api/v1/led/items/import?library=broken", auth, "text/plain", file.toString());
    assertProblem(r, 422);
    assertThat(r.bodyAsJsonObject().getString("detail")).contains("line 2501");
    assertProblem(led.call(HttpMethod.POST, "/api/v1/led/items/import?library=broken", auth, "application/json", "[]"), 415);
    assertProblem(led.call(HttpMethod.POST, "/api/v1/led/items/import", auth, "text/plain", "a\n"), 422);
    Buffer notUtf8 = Buffer.buffer("好的\n").appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28, '\n'});
    HttpResponse<Buffer> bin = Http.await(led.client.post("/api/v1/led/items/import?library=broken")
        .putHeader("Authorization", "Bearer " + TestInfra.ADMIN_TOKEN).putHeader("Content-Type", "text/plain").sendBuffer(notUtf8));
    assertProblem(bin, 422);
    assertThat(count("led_item")).isEqualTo(items);
    assertThat(count("led_library")).isEqualTo(libraries);
  }

  @Test
  void badAlertsAndAssignmentsChangeNothing() {
    long alerts = count("led_alert");
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/alerts", new JsonObject().put("text", "x").put("ttl_s", 60).encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/alerts", new JsonObject().put("text", "x")
        .put("target_groups", new JsonArray().add(group)).put("expires_at", "2020-01-01T00:00:00+08:00").encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/alerts", new JsonObject().put("text", "长".repeat(201))
        .put("target_groups", new JsonArray().add(group)).put("ttl_s", 60).encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/alerts", new JsonObject().put("text", "x")
        .put("target_groups", new JsonArray().add(777)).put("ttl_s", 60).encode()), 422);
    assertThat(count("led_alert")).isEqualTo(alerts);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/libraries/999/assignments", new JsonObject().put("group_id", group).encode()), 422);
    assertProblem(led.admin(HttpMethod.POST, "/api/v1/led/libraries/1/assignments", new JsonObject().put("group_id", group)
        .put("daypart", "7-22").encode()), 422);
    assertThat(count("led_assignment")).isZero();
    assertProblem(led.admin(HttpMethod.GET, "/api/v1/led/reports/plays?from=yesterday&to=today", null), 400);
  }

  private static JsonArray plays(int n, long itemId, String hash, Instant now) {
    JsonArray plays = new JsonArray();
    for (int i = 0; i < n; i++) {
      plays.add(new JsonObject().put("client_play_id", "b" + i).put("item_id", itemId).put("content_hash", hash)
          .put("started_at", now.minusSeconds(60).toString()).put("duration_ms", 1000));
    }
    return plays;
  }
}
