package org.qingfeng.led.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A fleet of simulated LED controllers against a running server: enrols them (and approves them
 * with an admin token) or uses given credentials, then polls, shows and posts plays, printing a
 * summary line per second.
 */
public final class LedSimulator implements AutoCloseable {
  private static final int OVERLOAD_RETRIES = 30;
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client;
  private final SimStats stats = new SimStats();
  private final List<SimScreen> screens = new ArrayList<>();

  public LedSimulator(URI server, int connections) {
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(server.getHost())
            .setDefaultPort(server.getPort() > 0 ? server.getPort() : 80).setSsl("https".equals(server.getScheme()))
            .setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(Math.max(8, connections)));
  }

  public SimStats stats() {
    return stats;
  }

  /** Enrols n controllers (keys prefix0..), puts them in a group when given, approves them; returns "id.secret" each. */
  public List<String> enrolAndApprove(int n, String keyPrefix, String adminToken, Long group) {
    List<Future<String>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonObject e = new JsonObject().put("hardware_key", keyPrefix + i).put("name", "simulated " + keyPrefix + i)
          .put("width", 192).put("height", 32).put("colour_mode", "dual");
      all.add(patiently(() -> client.post("/led/v1/enroll").sendJsonObject(e), OVERLOAD_RETRIES).compose(r -> {
        if (r.statusCode() >= 300) {
          return Future.failedFuture("enrol answered " + r.statusCode() + ": " + r.bodyAsString());
        }
        long id = r.bodyAsJsonObject().getLong("screen_id");
        Future<?> grouped = group == null ? Future.succeededFuture()
            : patiently(() -> client.patch("/api/v1/led/screens/" + id).putHeader("Authorization", "Bearer " + adminToken)
                .sendJsonObject(new JsonObject().put("groups", new JsonArray().add(group))), OVERLOAD_RETRIES).compose(SimHttp::ok);
        return grouped.compose(v -> patiently(() -> client.post("/api/v1/led/screens/" + id + "/rotate-secret")
                .putHeader("Authorization", "Bearer " + adminToken).send(), OVERLOAD_RETRIES))
            .compose(rot -> rot.statusCode() == 409
                ? patiently(() -> client.post("/api/v1/led/screens/" + id + "/approve")
                    .putHeader("Authorization", "Bearer " + adminToken).send(), OVERLOAD_RETRIES)
                : Future.succeededFuture(rot))
            .compose(SimHttp::ok).map(a -> id + "." + a.bodyAsJsonObject().getString("secret"));
      }));
    }
    await(Future.all(new ArrayList<>(all)), 120);
    return all.stream().map(Future::result).toList();
  }

  /**
   * Sends a request again while the server answers 503 (overloaded), after its Retry-After (1 s if absent).
   * Enrolling a whole fleet at once is exactly what overloads a server; every call wrapped here is idempotent
   * (enrolment answers the existing screen for a known key; approval and rotation are retried only when refused).
   */
  private Future<HttpResponse<Buffer>> patiently(Supplier<Future<HttpResponse<Buffer>>> call, int retriesLeft) {
    return call.get().compose(r -> {
      if (r.statusCode() != 503 || retriesLeft == 0) {
        return Future.succeededFuture(r);
      }
      long delayS = retryAfterSeconds(r.getHeader("Retry-After"));
      return vertx.timer(delayS, TimeUnit.SECONDS).compose(v -> patiently(call, retriesLeft - 1));
    });
  }

  private static long retryAfterSeconds(String header) {
    try {
      return header == null ? 1 : Math.max(1, Math.min(30, Long.parseLong(header.trim())));
    } catch (NumberFormatException notSeconds) {
      return 1;
    }
  }

  /** Something the fleet runs until: a duration, a signal. */
  public interface Until {
    void await() throws InterruptedException;
  }

  /** Runs the fleet until {@code until} returns; accepted plays go to {@code playLog} when given. */
  public void run(List<String> credentials, int waitS, double speed, int batch, Until until, PlayLog playLog, PrintStream out)
      throws InterruptedException {
    String run = Long.toString(System.currentTimeMillis(), 36);
    for (int i = 0; i < credentials.size(); i++) {
      SimScreen s = new SimScreen(vertx, client, credentials.get(i), run + "-" + i, waitS, speed, batch, stats, playLog);
      screens.add(s);
      s.start();
    }
    long t0 = System.nanoTime();
    long periodic = vertx.setPeriodic(1000, t -> {
      out.println(stats.line((System.nanoTime() - t0) / 1_000_000_000L, credentials.size()));
      screens.forEach(SimScreen::flushPlays);
    });
    try {
      until.await();
    } finally {
      vertx.cancelTimer(periodic);
      screens.forEach(SimScreen::stop);
      // The last batches' answers: a play counts as posted only once the server said 202.
      Thread.sleep(2000);
      out.println(stats.line((System.nanoTime() - t0) / 1_000_000_000L, credentials.size()) + " (final)");
    }
  }

  static <T> T await(Future<T> f, int seconds) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause().getMessage() : e.toString(), e);
    }
  }

  @Override
  public void close() {
    await(vertx.close(), 10);
  }

  /** Small helpers for checking answers. */
  static final class SimHttp {
    private SimHttp() {
    }

    static Future<HttpResponse<Buffer>> ok(HttpResponse<Buffer> r) {
      return r.statusCode() < 300 ? Future.succeededFuture(r)
          : Future.failedFuture("server answered " + r.statusCode() + ": " + r.bodyAsString());
    }
  }
}
