package org.qingfeng.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What the benchmark clients share: operator API calls against the server under test, and waiting on futures. */
final class BenchSupport {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private BenchSupport() {
  }

  /** Creates a token of this role with the admin token; returns the token. */
  static String token(String base, String admin, String role, String name) throws Exception {
    return post(base + "/api/v1/tokens", admin, new JsonObject().put("role", role).put("name", name).encode())
        .getString("token");
  }

  /** POSTs JSON with a bearer token; fails on anything but 2xx. */
  static JsonObject post(String url, String token, String json) throws Exception {
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() / 100 != 2) {
      throw new IllegalStateException(url + " -> " + res.statusCode() + " " + res.body());
    }
    return new JsonObject(res.body());
  }

  /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
  /**
   * Creates, submits and approves a campaign to the contacts tagged {@code tag}, due in 2 s, as
   * an operator and a second person would; returns its id.
   */
  static long approveCampaign(String base, String operator, String approver, String name, String tag) throws Exception {
    String sendAt = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(8)).plusSeconds(2).toString();
    JsonObject body = new JsonObject().put("name", name + " " + tag).put("signature", "【余庆县纪委】")
        .put("text", "清风送节，廉洁过节。请勿收受礼品礼金。").put("send_at", sendAt).put("max_rate", 10_000)
        .put("audience", new JsonObject().put("tags_any", new io.vertx.core.json.JsonArray().add(tag)));
    long id = post(base + "/api/v1/campaigns", operator, body.encode()).getLong("id");
    post(base + "/api/v1/campaigns/" + id + "/submit", operator, "{}");
    post(base + "/api/v1/campaigns/" + id + "/approve", approver, "{}");
    return id;
  }

  static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
