package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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

/** Enrol, approve, poll; 401 for wrong or revoked secrets; 304 while unchanged; a new ETag on change. */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LedPollTest {
  static QingfengServer server;
  static LedClient led;
  static long group;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    // Last-seen flushes rarely here, so the test can see that polls leave Postgres alone.
    server = infra.startServer(Map.of("QINGFENG_LED_LAST_SEEN_FLUSH_MS", "600000", "QINGFENG_LED_OFFLINE_GRACE_S", "600"));
    led = new LedClient(server.httpPort());
    group = led.group("Longxi township", "township");
  }

  @AfterAll
  static void stop() {
    LedClient.stop(led, server);
  }

  @Test
  void enrolApprovePollThen304ThenNewEtagOnChange() {
    JsonObject enrol = new JsonObject().put("hardware_key", "hw-poll-1").put("name", "Longxi gate").put("width", 256)
        .put("height", 32).put("colour_mode", "mono");
    HttpResponse<Buffer> pending = led.call(HttpMethod.POST, "/led/v1/enroll", Map.of(), "application/json", enrol.encode());
    assertThat(pending.statusCode()).isEqualTo(202);
    long id = pending.bodyAsJsonObject().getLong("screen_id");
    assertThat(pending.bodyAsJsonObject().getString("status")).isEqualTo("pending");
    // Enrolling again with the same key answers the same screen; it is listed as pending.
    assertThat(led.call(HttpMethod.POST, "/led/v1/enroll", Map.of(), "application/json", enrol.encode())
        .bodyAsJsonObject().getLong("screen_id")).isEqualTo(id);
    JsonArray listed = led.adminOk(HttpMethod.GET, "/api/v1/led/screens?status=pending", null).getJsonArray("items");
    assertThat(listed.stream().map(o -> ((JsonObject) o).getLong("id"))).contains(id);

    led.adminOk(HttpMethod.PATCH, "/api/v1/led/screens/" + id, new JsonObject().put("groups", new JsonArray().add(group)));
    JsonObject approved = led.adminOk(HttpMethod.POST, "/api/v1/led/screens/" + id + "/approve", null);
    String cred = id + "." + approved.getString("secret");
    assertThat(approved.getString("authorization")).isEqualTo("Bearer " + cred);
    assertThat(led.admin(HttpMethod.POST, "/api/v1/led/screens/" + id + "/approve", null).statusCode()).isEqualTo(409);

    HttpResponse<Buffer> first = led.poll(cred, null);
    assertThat(first.statusCode()).isEqualTo(200);
    String etag = first.getHeader("ETag");
    assertThat(etag).startsWith("\"").endsWith("\"");
    JsonObject body = first.bodyAsJsonObject();
    assertThat(body.getLong("screen_id")).isEqualTo(id);
    assertThat(body.getString("time_zone")).isEqualTo("Asia/Shanghai");
    assertThat(body.getInteger("next_poll_s")).isBetween(1, 60);
    assertThat(body.getString("valid_until")).isNotBlank();

    HttpResponse<Buffer> again = led.poll(cred, etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.getHeader("ETag")).isEqualTo(etag);

    JsonObject created = led.adminOk(HttpMethod.POST, "/api/v1/led/items", new JsonObject().put("text", "廉洁自律，从我做起")
        .put("category", "aphorism").put("target_groups", new JsonArray().add(group)));
    HttpResponse<Buffer> changed = led.poll(cred, etag);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.getHeader("ETag")).isNotEqualTo(etag);
    JsonObject item = changed.bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
    assertThat(item.getLong("item_id")).isEqualTo(created.getLong("id"));
    assertThat(item.getString("text")).isEqualTo("廉洁自律，从我做起");
    assertThat(item.getString("content_hash")).isEqualTo(LedText.hash("廉洁自律，从我做起"));

    // A new text is a new version: new hash, new ETag, old version kept.
    String etag2 = changed.getHeader("ETag");
    led.adminOk(HttpMethod.PATCH, "/api/v1/led/items/" + created.getLong("id"), new JsonObject().put("text", "清风正气，廉洁奉公"));
    HttpResponse<Buffer> v2 = led.poll(cred, etag2);
    assertThat(v2.statusCode()).isEqualTo(200);
    assertThat(v2.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getInteger("version")).isEqualTo(2);
    JsonObject full = led.adminOk(HttpMethod.GET, "/api/v1/led/items/" + created.getLong("id"), null);
    assertThat(full.getJsonArray("versions")).hasSize(2);

    // text/plain for the simplest controllers: one line per item, its own ETag.
    HttpResponse<Buffer> plain = led.call(HttpMethod.GET, "/led/v1/playlist", Map.of("Authorization", "Bearer " + cred,
        "Accept", "text/plain"), null, null);
    assertThat(plain.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(plain.bodyAsString().split("\n")).hasSize(1);
    assertThat(plain.bodyAsString()).startsWith("item\t" + created.getLong("id") + "\t").contains("清风正气，廉洁奉公");
    assertThat(led.call(HttpMethod.GET, "/led/v1/playlist", Map.of("Authorization", "Bearer " + cred, "Accept", "text/plain",
        "If-None-Match", plain.getHeader("ETag")), null, null).statusCode()).isEqualTo(304);
  }

  @Test
  void anUnchangedPollIsAnswered304WithTheSameHeadersAsTheRoutedAnswer() {
    String cred = led.screen("hw-poll-fast", null);
    long id = LedClient.idOf(cred);
    HttpResponse<Buffer> first = led.poll(cred, null);
    String etag = first.getHeader("ETag");
    // The unchanged case is answered before the router; it must look the same.
    HttpResponse<Buffer> fast = led.poll(cred, etag);
    assertThat(fast.statusCode()).isEqualTo(304);
    assertThat(fast.getHeader("ETag")).isEqualTo(etag);
    assertThat(fast.getHeader("Cache-Control")).isEqualTo("no-cache");
    assertThat(fast.getHeader("Vary")).isEqualTo("Accept");
    assertThat(fast.getHeader("X-Next-Poll-S")).isEqualTo(first.getHeader("X-Next-Poll-S"));
    assertThat(fast.getHeader("X-Request-Id")).matches("[0-9a-f]{24}");
    assertThat(led.call(HttpMethod.GET, "/led/v1/playlist", Map.of("Authorization", "Bearer " + cred,
        "If-None-Match", etag, "X-Request-Id", "screen-req-0001"), null, null).getHeader("X-Request-Id"))
        .isEqualTo("screen-req-0001");
    assertThat(led.call(HttpMethod.GET, "/led/v1/playlist?wait=0", Map.of("Authorization", "Bearer " + cred,
        "If-None-Match", etag), null, null).statusCode()).isEqualTo(304);
    // Whatever the fast path does not answer still gets the full answer: a wrong secret with a
    // current ETag is 401, a bad wait is 400, a stale ETag is 200.
    HttpResponse<Buffer> wrong = led.poll(id + ".wrong-secret", etag);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(led.call(HttpMethod.GET, "/led/v1/playlist?wait=-1", Map.of("Authorization", "Bearer " + cred,
        "If-None-Match", etag), null, null).statusCode()).isEqualTo(400);
    assertThat(led.poll(cred, "\"stale\"").statusCode()).isEqualTo(200);
    assertThat(Http.await(led.pollAsync(cred, etag, "?wait=61")).statusCode()).isEqualTo(400);
    // A long-poll with the current ETag is held before the router as well; when its wait runs
    // out it gets the same 304.
    HttpResponse<Buffer> waited = Http.await(led.pollAsync(cred, etag, "?wait=1"));
    assertThat(waited.statusCode()).isEqualTo(304);
    assertThat(waited.getHeader("ETag")).isEqualTo(etag);
    assertThat(waited.getHeader("Cache-Control")).isEqualTo("no-cache");
    assertThat(waited.getHeader("X-Next-Poll-S")).isEqualTo(first.getHeader("X-Next-Poll-S"));
    assertThat(waited.getHeader("X-Request-Id")).matches("[0-9a-f]{24}");
  }

  @Test
  void wrongRotatedOrRevokedSecretIs401() {
    String cred = led.screen("hw-poll-2", null);
    long id = LedClient.idOf(cred);
    String before = led.poll(cred, null).getHeader("ETag");
    // Polled again with its current tag: answered before the router, and the verified secret is
    // remembered from here on; rotating and revoking below must still end it.
    assertThat(led.poll(cred, before).statusCode()).isEqualTo(304);
    assertThat(led.poll(cred, before).statusCode()).isEqualTo(304);
    // The same screen with a secret differing only in its last character: 401 on both paths.
    String nearMiss = cred.substring(0, cred.length() - 1) + (cred.endsWith("A") ? "B" : "A");
    assertThat(led.poll(nearMiss, before).statusCode()).isEqualTo(401);
    assertThat(led.poll(nearMiss, null).statusCode()).isEqualTo(401);
    for (String bad : new String[] {id + ".wrong-secret", "999999." + cred.substring(cred.indexOf('.') + 1), "garbage", id + "."}) {
      HttpResponse<Buffer> r = led.poll(bad, null);
      assertThat(r.statusCode()).as(bad).isEqualTo(401);
      assertThat(r.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }
    assertThat(Http.await(led.async(HttpMethod.GET, "/led/v1/playlist", Map.of(), null, null)).statusCode()).isEqualTo(401);

    JsonObject rotated = led.adminOk(HttpMethod.POST, "/api/v1/led/screens/" + id + "/rotate-secret", null);
    assertThat(led.poll(cred, null).statusCode()).isEqualTo(401);
    assertThat(led.poll(cred, before).statusCode()).isEqualTo(401);
    String cred2 = id + "." + rotated.getString("secret");
    assertThat(led.poll(cred2, null).statusCode()).isEqualTo(200);

    // A long-poll held while the screen is revoked is answered 401 at once.
    String etag = led.poll(cred2, null).getHeader("ETag");
    var held = led.pollAsync(cred2, etag, "?wait=30");
    for (int i = 0; i < 100 && led.adminOk(HttpMethod.GET, "/api/v1/led/health", null).getInteger("long_polls_held_here") < 1; i++) {
      Http.await(led.vertx.timer(20));
    }
    assertThat(led.admin(HttpMethod.POST, "/api/v1/led/screens/" + id + "/revoke", null).statusCode()).isEqualTo(204);
    HttpResponse<Buffer> heldAnswer = Http.await(held);
    assertThat(heldAnswer.statusCode()).isEqualTo(401);
    assertThat(heldAnswer.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(heldAnswer.bodyAsJsonObject().getString("detail")).isEqualTo("the screen was revoked or its secret rotated");
    assertThat(heldAnswer.bodyAsJsonObject().getString("request_id")).isEqualTo(heldAnswer.getHeader("X-Request-Id"));
    assertThat(led.poll(cred2, null).statusCode()).isEqualTo(401);
    assertThat(led.poll(cred2, etag).statusCode()).isEqualTo(401);
    JsonArray revoked = led.adminOk(HttpMethod.GET, "/api/v1/led/screens?status=revoked", null).getJsonArray("items");
    assertThat(revoked.stream().map(o -> ((JsonObject) o).getLong("id"))).contains(id);
  }

  @Test
  void secretIsStoredHashedOnly() {
    String cred = led.screen("hw-poll-3", null);
    long id = LedClient.idOf(cred);
    String secret = cred.substring(cred.indexOf('.') + 1);
    byte[] stored = Http.await(server.pool().preparedQuery("SELECT secret_sha256 FROM led_screen WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(id))).iterator().next().getBuffer(0).getBytes();
    assertThat(stored).isEqualTo(DeviceAuth.digest(secret)).hasSize(32);
  }

  /** Weekdays, and dayparts checked window by window, are in LedScreenTimeZoneTest. */
  @Test
  void daypartsAreResolvedInTheScreensTimeZone() {
    long kashgar = led.group("Kashgar office", "unit");
    String cred = led.screen("hw-tz-1", "Asia/Urumqi", kashgar);
    led.adminOk(HttpMethod.POST, "/api/v1/led/items", new JsonObject().put("text", "夜间提示").put("category", "notice")
        .put("dayparts", new JsonArray().add("22:00-02:00")).put("target_groups", new JsonArray().add(kashgar)));
    JsonObject body = led.poll(cred, null).bodyAsJsonObject();
    assertThat(body.getString("time_zone")).isEqualTo("Asia/Urumqi");
    assertThat(body.getString("valid_until")).endsWith("T00:00:00+06:00");
    JsonArray windows = body.getJsonArray("items").getJsonObject(0).getJsonArray("windows");
    assertThat(windows).isNotEmpty();
    for (Object o : windows) {
      JsonObject w = (JsonObject) o;
      // Every window runs 22:00 to 02:00 local, cut only at the playlist's own start and end.
      assertThat(w.getString("from")).matches(".*T22:00:00\\+06:00|" + java.util.regex.Pattern.quote(body.getString("from")));
      assertThat(w.getString("until")).matches(".*T02:00:00\\+06:00|" + java.util.regex.Pattern.quote(body.getString("until")));
    }
  }

  @Test
  void screenHealthCountsOnlineAndOffline() {
    String seen = led.screen("hw-health-1", null);
    String never = led.screen("hw-health-2", null);
    for (int i = 0; i < 20; i++) {
      led.poll(seen, null);
    }
    // Polls did not write Postgres: last-seen waits in memory for the periodic flush...
    Object stored = Http.await(server.pool().preparedQuery("SELECT last_seen_at FROM led_screen WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(LedClient.idOf(seen)))).iterator().next().getValue(0);
    assertThat(stored).isNull();
    // ...yet health already counts the screen as online.
    JsonObject health = led.adminOk(HttpMethod.GET, "/api/v1/led/health", null);
    JsonArray offline = health.getJsonArray("offline_screens");
    assertThat(offline.stream().map(o -> ((JsonObject) o).getLong("screen_id")))
        .contains(LedClient.idOf(never)).doesNotContain(LedClient.idOf(seen));
    assertThat(health.getInteger("online")).isGreaterThanOrEqualTo(1);
    assertThat(health.getInteger("online") + health.getInteger("offline")).isEqualTo(health.getInteger("active"));
    java.time.Instant t = java.time.Instant.parse("2025-01-28T08:00:00Z");
    assertThat(Offline.isOffline(t, 60, 30, t.plusSeconds(96))).isFalse();
    assertThat(Offline.isOffline(t, 60, 30, t.plusSeconds(97))).isTrue();
    assertThat(Offline.isOffline(null, 60, 30, t)).isTrue();
  }

  @Test
  void badPollParametersAre400AndPendingScreensCannotPoll() {
    String cred = led.screen("hw-poll-4", null);
    assertThat(Http.await(led.pollAsync(cred, null, "?wait=61")).statusCode()).isEqualTo(400);
    assertThat(Http.await(led.pollAsync(cred, null, "?wait=abc")).statusCode()).isEqualTo(400);
    HttpResponse<Buffer> pending = led.call(HttpMethod.POST, "/led/v1/enroll", Map.of(), "application/json",
        new JsonObject().put("hardware_key", "hw-pending").put("name", "n").put("width", 10).put("height", 10)
            .put("colour_mode", "full").encode());
    long pid = pending.bodyAsJsonObject().getLong("screen_id");
    assertThat(led.poll(pid + ".anything", null).statusCode()).isEqualTo(401);
    assertThat(led.call(HttpMethod.POST, "/led/v1/enroll", Map.of(), "application/json",
        new JsonObject().put("hardware_key", "hw-x").put("name", "n").put("width", 0).put("height", 10)
            .put("colour_mode", "full").encode()).statusCode()).isEqualTo(422);
  }
}
