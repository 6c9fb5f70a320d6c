package org.qingfeng.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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

@QingfengTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpErrorsTest {
  static QingfengServer server;
  static Http http;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_HTTP_BODY_LIMIT", "2048"));
    http = new Http(server.httpPort());
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void unknownRouteIs404Problem() {
    assertProblem(http.get("/no/such/thing", null), 404);
    assertProblem(http.get("/api/v1/no/such/thing", TestInfra.ADMIN_TOKEN), 404);
  }

  @Test
  void wrongMethodIs405Problem() {
    assertProblem(http.send(HttpMethod.PUT, "/health/live", null, null, null), 405);
    assertProblem(http.send(HttpMethod.PUT, "/api/v1/tokens", TestInfra.ADMIN_TOKEN, "application/json", "{}"), 405);
  }

  @Test
  void badJsonIs400AndWrongMediaTypeIs415() {
    assertProblem(http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN, "{\"role\":"), 400);
    assertProblem(http.send(HttpMethod.POST, "/api/v1/tokens", TestInfra.ADMIN_TOKEN, "text/plain", "role=admin"), 415);
  }

  @Test
  void oversizeBodyIs413() {
    String big = "{\"name\":\"" + "x".repeat(5000) + "\",\"role\":\"viewer\"}";
    assertProblem(http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN, big), 413);
  }

  @Test
  void requestLineOver8KiBIs414AndHeadersOver16KiBAre431AsProblems() {
    var longLine = http.send(HttpMethod.GET, "/health/live?pad=" + "p".repeat(9000), null, null, null);
    var bigHeaders = Http.await(io.vertx.ext.web.client.WebClient.create(server.vertx()).get(server.httpPort(), "127.0.0.1", "/health/live")
        .putHeader("X-Padding", "p".repeat(20 * 1024)).send());
    assertThat(longLine.statusCode()).isEqualTo(414);
    assertThat(bigHeaders.statusCode()).isEqualTo(431);
    for (var probe : java.util.List.of(longLine, bigHeaders)) {
      assertThat(probe.getHeader("Content-Type")).isEqualTo("application/problem+json");
      JsonObject p = probe.bodyAsJsonObject();
      assertThat(p.getInteger("status")).isEqualTo(probe.statusCode());
      assertThat(p.getString("detail")).contains(probe.statusCode() == 414 ? "request line" : "headers");
    }
    assertThat(http.get("/health/live", null).statusCode()).isEqualTo(200);
  }

  @Test
  void everyResponseCarriesARequestId() {
    HttpResponse<Buffer> ok = http.get("/health/live", null);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.getHeader(RequestIdHandler.HEADER)).matches("[0-9a-f]{24}");
    HttpResponse<Buffer> echoed = Http.await(io.vertx.ext.web.client.WebClient.create(server.vertx())
        .get(server.httpPort(), "127.0.0.1", "/no-such").putHeader(RequestIdHandler.HEADER, "caller-chosen-id-42").send());
    assertThat(echoed.getHeader(RequestIdHandler.HEADER)).isEqualTo("caller-chosen-id-42");
    assertThat(echoed.bodyAsJsonObject().getString("request_id")).isEqualTo("caller-chosen-id-42");
  }

  @Test
  void openApiDocumentIsServed() {
    HttpResponse<Buffer> res = http.get("/openapi.yaml", null);
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.bodyAsString()).startsWith("openapi: 3").contains("/api/v1/tokens").contains("/health/ready");
  }

  @Test
  void metricsArePrometheusTextWithJvmHttpPoolAndKafkaMeters() {
    http.get("/health/ready", null);
    HttpResponse<Buffer> res = http.get("/metrics", null);
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.getHeader("Content-Type")).startsWith("text/plain");
    String text = res.bodyAsString();
    assertThat(text).contains("jvm_memory_used_bytes");
    assertThat(text).contains("vertx_http_server_requests_total");
    assertThat(text).contains("vertx_pool_");
    assertThat(text).contains("kafka_");
  }

  @Test
  void httpServerMetersCarryMethodRouteAndCodeAsVertxNamesThem() {
    for (int i = 0; i < 3; i++) {
      http.get("/health/live", null);
    }
    http.get("/no-such-thing", null);
    String text = http.get("/metrics", null).bodyAsString();
    assertThat(metric(text, "vertx_http_server_requests_total{code=\"200\",method=\"GET\",route=\"/health/live\"}"))
        .isGreaterThanOrEqualTo(3.0);
    assertThat(metric(text, "vertx_http_server_response_time_seconds_count{code=\"200\",method=\"GET\",route=\"/health/live\"}"))
        .isGreaterThanOrEqualTo(3.0);
    assertThat(metric(text, "vertx_http_server_response_bytes_count{code=\"200\",method=\"GET\",route=\"/health/live\"}"))
        .isGreaterThanOrEqualTo(3.0);
    // Unrouted requests have an empty route, as in Vert.x's own meters.
    assertThat(metric(text, "vertx_http_server_requests_total{code=\"404\",method=\"GET\",route=\"\"}"))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(metric(text, "vertx_http_server_request_bytes_count{method=\"GET\"}")).isGreaterThanOrEqualTo(4.0);
    // The scrape itself is in flight while it is rendered.
    assertThat(metric(text, "vertx_http_server_active_requests{method=\"GET\"}")).isEqualTo(1.0);
    assertThat(text).contains("vertx_http_server_active_connections");
  }

  private static double metric(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no series " + series + " in /metrics");
  }

  static void assertProblem(HttpResponse<Buffer> res, int status) {
    assertThat(res.statusCode()).isEqualTo(status);
    assertThat(res.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject p = res.bodyAsJsonObject();
    assertThat(p.getInteger("status")).isEqualTo(status);
    assertThat(p.getString("title")).isNotBlank();
    assertThat(p.getString("type")).endsWith("/" + status);
    assertThat(p.getString("request_id")).isEqualTo(res.getHeader(RequestIdHandler.HEADER));
  }
}
