package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.TestInfra;

/** Test client for the LED APIs: blocking calls for set-up, futures for many concurrent long-polls. */
final class LedClient implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final WebClient client;

  LedClient(int port) {
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true).setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(512));
  }

  Future<HttpResponse<Buffer>> async(HttpMethod m, String path, Map<String, String> headers, String contentType, String body) {
    HttpRequest<Buffer> req = client.request(m, path).timeout(90_000);
    headers.forEach(req::putHeader);
    if (contentType != null) {
      req.putHeader("Content-Type", contentType);
    }
    return body == null ? req.send() : req.sendBuffer(Buffer.buffer(body));
  }

  HttpResponse<Buffer> call(HttpMethod m, String path, Map<String, String> headers, String contentType, String body) {
    return Http.await(async(m, path, headers, contentType, body));
  }

  HttpResponse<Buffer> admin(HttpMethod m, String path, String json) {
    return call(m, path, Map.of("Authorization", "Bearer " + TestInfra.ADMIN_TOKEN), json == null ? null : "application/json", json);
  }

  JsonObject adminOk(HttpMethod m, String path, JsonObject body) {
    HttpResponse<Buffer> r = admin(m, path, body == null ? null : body.encode());
    assertThat(r.statusCode()).as("%s %s: %s", m, path, r.bodyAsString()).isBetween(200, 299);
    return r.body() == null || r.body().length() == 0 ? new JsonObject() : r.bodyAsJsonObject();
  }

  long group(String name, String kind) {
    return adminOk(HttpMethod.POST, "/api/v1/led/groups", new JsonObject().put("name", name).put("kind", kind)).getLong("id");
  }

  /** Enrols and approves a screen; returns its "id.secret" credential. */
  String screen(String key, String zone, Long... groups) {
    JsonObject e = new JsonObject().put("hardware_key", key).put("name", "screen " + key).put("width", 192)
        .put("height", 64).put("colour_mode", "dual");
    if (zone != null) {
      e.put("time_zone", zone);
    }
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/led/v1/enroll", Map.of(), "application/json", e.encode());
    assertThat(r.statusCode()).as(r.bodyAsString()).isIn(200, 202);
    long id = r.bodyAsJsonObject().getLong("screen_id");
    if (groups.length > 0) {
      adminOk(HttpMethod.PATCH, "/api/v1/led/screens/" + id, new JsonObject().put("groups", new io.vertx.core.json.JsonArray(java.util.List.of((Object[]) groups))));
    }
    JsonObject approved = adminOk(HttpMethod.POST, "/api/v1/led/screens/" + id + "/approve", null);
    return id + "." + approved.getString("secret");
  }

  /** Enrols, groups and approves n screens concurrently; returns their credentials in order. */
  java.util.List<String> screens(String keyPrefix, int n, Long group) {
    java.util.List<Future<String>> all = new java.util.ArrayList<>();
    String auth = "Bearer " + TestInfra.ADMIN_TOKEN;
    for (int i = 0; i < n; i++) {
      JsonObject e = new JsonObject().put("hardware_key", keyPrefix + i).put("name", "screen " + keyPrefix + i)
          .put("width", 192).put("height", 64).put("colour_mode", "dual");
      all.add(async(HttpMethod.POST, "/led/v1/enroll", Map.of(), "application/json", e.encode()).compose(r -> {
        long id = r.bodyAsJsonObject().getLong("screen_id");
        Future<?> grouped = group == null ? Future.succeededFuture() : async(HttpMethod.PATCH, "/api/v1/led/screens/" + id,
            Map.of("Authorization", auth), "application/json", new JsonObject().put("groups", new io.vertx.core.json.JsonArray().add(group)).encode());
        return grouped.compose(v -> async(HttpMethod.POST, "/api/v1/led/screens/" + id + "/approve", Map.of("Authorization", auth), null, null))
            .map(a -> id + "." + a.bodyAsJsonObject().getString("secret"));
      }));
    }
    Http.await(Future.all(new java.util.ArrayList<>(all)));
    return all.stream().map(Future::result).toList();
  }

  static long idOf(String credential) {
    return Long.parseLong(credential.substring(0, credential.indexOf('.')));
  }

  Future<HttpResponse<Buffer>> pollAsync(String credential, String etag, String query) {
    Map<String, String> h = new java.util.HashMap<>();
    h.put("Authorization", "Bearer " + credential);
    if (etag != null) {
      h.put("If-None-Match", etag);
    }
    return async(HttpMethod.GET, "/led/v1/playlist" + (query == null ? "" : query), h, null, null);
  }

  HttpResponse<Buffer> poll(String credential, String etag) {
    return Http.await(pollAsync(credential, etag, null));
  }

  HttpResponse<Buffer> postPlays(String credential, JsonObject body) {
    return call(HttpMethod.POST, "/led/v1/plays", Map.of("Authorization", "Bearer " + credential), "application/json", body.encode());
  }

  /** The usual @AfterAll of a LED test: its client, then its server, whichever got started. */
  static void stop(LedClient led, QingfengServer server) {
    if (led != null) {
      led.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Override
  public void close() {
    Http.await(vertx.close());
  }
}
