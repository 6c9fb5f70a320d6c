package org.qingfeng.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.db.Database;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * A saturated database pool is overload, not a bug: requests that find no free connection within the pool's
 * timeout get 503 problem+json with Retry-After and change nothing; once the pool frees up they succeed.
 * The fault run's 250 simultaneous enrolments used to get 500 here.
 */
@QingfengTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PoolSaturationTest {
  static QingfengServer server;
  static Vertx vertx;
  static Pool sideDoor;
  static WebClient client;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_POSTGRES_POOL_SIZE", "1"));
    vertx = Vertx.vertx();
    sideDoor = Database.pool(vertx, infra.database(), 1);
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.httpPort()), new PoolOptions().setHttp1MaxSize(8));
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (vertx != null) {
      Http.await(vertx.close());
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void enrolmentsThatFindNoConnectionGet503WithRetryAfterAndChangeNothing() throws Exception {
    // The server's only connection gets stuck behind this lock, so every other request waits for the pool.
    SqlConnection locker = Http.await(sideDoor.getConnection());
    Http.await(locker.query("BEGIN").execute());
    Http.await(locker.query("LOCK TABLE led_screen IN ACCESS EXCLUSIVE MODE").execute());

    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sent.add(enrol("saturated-" + i));
    }
    long deadline = System.currentTimeMillis() + 30_000;
    while (sent.stream().filter(Future::isComplete).count() < 3 && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    List<HttpResponse<Buffer>> refused = new ArrayList<>();
    for (Future<HttpResponse<Buffer>> f : sent) {
      if (f.isComplete()) {
        refused.add(f.result());
      }
    }
    assertThat(refused).as("requests answered while the pool was stuck").hasSizeGreaterThanOrEqualTo(3);
    for (HttpResponse<Buffer> r : refused) {
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
      assertThat(r.getHeader("Retry-After")).isEqualTo("1");
      assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(r.bodyAsJsonObject().getString("detail")).contains("no free database connection");
    }

    Http.await(locker.query("ROLLBACK").execute());
    Http.await(locker.close());
    for (Future<HttpResponse<Buffer>> f : sent) {
      HttpResponse<Buffer> r = Http.await(f);
      assertThat(r.statusCode()).isIn(202, 503);
    }
    long stored = enrolledCount();
    long accepted = sent.stream().filter(f -> f.result().statusCode() == 202).count();
    assertThat(stored).as("a refused enrolment left nothing behind").isEqualTo(accepted);

    // Retrying after the pool is free works.
    for (int i = 0; i < 4; i++) {
      assertThat(Http.await(enrol("saturated-" + i)).statusCode()).isIn(200, 202);
    }
    assertThat(enrolledCount()).isEqualTo(4);
  }

  private static long enrolledCount() {
    return Http.await(sideDoor.query("SELECT count(*) FROM led_screen WHERE hardware_key LIKE 'saturated-%'")
        .execute()).iterator().next().getLong(0);
  }

  private static Future<HttpResponse<Buffer>> enrol(String key) {
    JsonObject body = new JsonObject().put("hardware_key", key).put("name", "screen " + key).put("width", 192)
        .put("height", 64).put("colour_mode", "dual");
    return client.post("/led/v1/enroll").putHeader("Content-Type", "application/json")
        .timeout(60_000).sendBuffer(body.toBuffer());
  }
}
