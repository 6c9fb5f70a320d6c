package org.qingfeng.faults;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Blocking HTTP calls to a server or the simulator, for the fault run's driver thread only. */
final class Api {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;

  Api(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  List<String> lines(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = get(path, null);
    require(r, 200, path);
    return r.body().lines().filter(l -> !l.isBlank()).toList();
  }

  JsonObject getJson(String path, String token) throws IOException, InterruptedException {
    HttpResponse<String> r = get(path, token);
    require(r, 200, path);
    return new JsonObject(r.body());
  }

  JsonObject post(String path, String token, String contentType, String body, int expected)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(300))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    require(r, expected, path);
    return r.body().isBlank() ? new JsonObject() : new JsonObject(r.body());
  }

  JsonObject postJson(String path, String token, JsonObject body, int expected) throws IOException, InterruptedException {
    return post(path, token, "application/json", body == null ? "{}" : body.encode(), expected);
  }

  boolean ready() {
    try {
      return get("/health/ready", null).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits until /health/ready answers 200; fails with the log's tail when the process dies first. */
  void awaitReady(Proc process) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (!ready()) {
      if (!process.alive()) {
        throw new IllegalStateException(process.name + " exited before it was ready:\n" + process.tail(40));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(process.name + " not ready within 180 s:\n" + process.tail(40));
      }
      Thread.sleep(250);
    }
  }

  private static void require(HttpResponse<String> r, int expected, String path) {
    if (r.statusCode() != expected) {
      throw new IllegalStateException(r.request().method() + " " + path + " answered " + r.statusCode()
          + " (expected " + expected + "): " + r.body());
    }
  }
}
