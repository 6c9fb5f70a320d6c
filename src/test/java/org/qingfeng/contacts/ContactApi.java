package org.qingfeng.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.qingfeng.testing.TestInfra;

/** Blocking test client for the contacts, opt-out and template APIs (bytes bodies, chunked uploads). */
final class ContactApi implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  private final WebClient client;

  ContactApi(int port) {
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setIdleTimeout(60));
  }

  HttpResponse<Buffer> importCsv(String token, String query, byte[] body) {
    return importCsv(token, query, "text/csv", body);
  }

  HttpResponse<Buffer> importCsv(String token, String query, String contentType, byte[] body) {
    HttpRequest<Buffer> req = client.post("/api/v1/contacts/import" + (query == null ? "" : "?" + query))
        .putHeader("Authorization", "Bearer " + token)
        .timeout(60_000);
    if (contentType != null) {
      req.putHeader("Content-Type", contentType);
    }
    return await(req.sendBuffer(Buffer.buffer(body)));
  }

  /** Sends the body chunked (no Content-Length), piece by piece, as a stream. */
  HttpResponse<Buffer> importChunked(String token, Iterator<byte[]> pieces) {
    ReadStream<Buffer> stream = new IteratorStream(vertx, pieces);
    return await(client.post("/api/v1/contacts/import")
        .putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "text/csv")
        .timeout(60_000)
        .sendStream(stream));
  }

  HttpResponse<Buffer> send(HttpMethod method, String path, String token, JsonObject json) {
    HttpRequest<Buffer> req = client.request(method, path).putHeader("Authorization", "Bearer " + token).timeout(30_000);
    return await(json == null ? req.send() : req.sendJsonObject(json));
  }

  HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, token, null);
  }

  String createToken(String role) {
    HttpResponse<Buffer> res = send(HttpMethod.POST, "/api/v1/tokens", TestInfra.ADMIN_TOKEN,
        new JsonObject().put("role", role).put("name", "test " + role));
    assertThat(res.statusCode()).isEqualTo(201);
    return res.bodyAsJsonObject().getString("token");
  }

  static long count(Pool pool, String sql) {
    return await(pool.query(sql).execute()).iterator().next().getLong(0);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("call failed: " + e, e);
    }
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
