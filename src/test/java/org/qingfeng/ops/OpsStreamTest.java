package org.qingfeng.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

/** GET /api/v1/ops/stream: auth, snapshot then deltas that agree with the stats API, many clients, slow clients. */
@QingfengTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OpsStreamTest {
  static QingfengServer server;
  static Http http;
  static String viewer;
  static String operator;
  static String approver;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_SMS_SIMULATOR_RECEIPT_DELAY_MS", "50",
        "QINGFENG_OPS_STREAM_CLIENT_BUFFER_BYTES", "1024", "QINGFENG_OPS_STREAM_SLOW_CLIENT_MS", "1000"));
    http = new Http(server.httpPort());
    viewer = OpsTestKit.token(http, "viewer");
    operator = OpsTestKit.token(http, "operator");
    approver = OpsTestKit.token(http, "approver");
    Http.await(server.smsChannels().orElseThrow().channel("sim").orElseThrow().awaitBound());
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
  void withoutAValidTokenTheStreamAnswers401() {
    HttpResponse<Buffer> none = http.get("/api/v1/ops/stream", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(http.get("/api/v1/ops/stream?access_token=qf_not-a-token", null).statusCode()).isEqualTo(401);
    // The query token is accepted on the stream only, never on other routes.
    assertThat(http.get("/api/v1/campaigns?access_token=" + viewer, null).statusCode()).isEqualTo(401);
    assertThat(http.get("/api/v1/campaigns", viewer).statusCode()).isEqualTo(200);
  }

  @Test
  void viewerGetsASnapshotThenDeltasThatFollowTheStatsApi() throws Exception {
    long campaign = OpsTestKit.blast(http, server.pool(), operator, approver, "ops-agree", 1_000_000, 3000, 300);
    try (SseReader sse = new SseReader(server.httpPort(), "/api/v1/ops/stream?access_token=" + viewer, null)) {
      SseReader.Event first = sse.next(Duration.ofSeconds(10));
      assertThat(first.name()).isEqualTo("snapshot");
      JsonObject state = first.data();
      assertThat(state.fieldNames()).contains("campaigns", "totals", "channels", "led", "alerts", "series", "seq", "at");
      assertThat(state.getJsonArray("channels").getJsonObject(0).getString("name")).isEqualTo("sim");
      long seq = state.getLong("seq");
      Instant previousAt = Instant.parse(state.getString("at"));
      boolean sawCampaignMove = false;
      long lastDelivered = -1;
      List<long[]> restSamples = new ArrayList<>(); // {seq at fetch, delivered, accepted}
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline) {
        SseReader.Event e = sse.next(Duration.ofSeconds(5));
        assertThat(e.name()).as("a client that keeps up gets deltas").isEqualTo("delta");
        JsonObject d = e.data();
        assertThat(d.getLong("base")).isEqualTo(seq);
        Instant at = Instant.parse(d.getString("at"));
        assertThat(Duration.between(previousAt, at)).as("at most one delta a second").isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(d.getJsonObject("point").fieldNames()).contains("submitted", "delivered", "failed", "delivery_rate");
        seq = d.getLong("seq");
        previousAt = at;
        OpsTestKit.apply(state, d);
        JsonObject c = OpsTestKit.campaignIn(state, campaign);
        if (c == null) {
          continue;
        }
        JsonObject byStatus = c.getJsonObject("stats").getJsonObject("by_status");
        JsonObject funnel = c.getJsonObject("funnel");
        // The funnel has no hole: every message is queued, being sent, or known to the statistics.
        assertThat(funnel.getLong("queued") + funnel.getLong("sending") + c.getJsonObject("stats").getLong("messages"))
            .as("funnel %s", funnel).isGreaterThanOrEqualTo(c.getLong("messages"));
        long delivered = byStatus.getLong("delivered");
        sawCampaignMove |= lastDelivered >= 0 && delivered > lastDelivered;
        lastDelivered = delivered;
        for (long[] sample : restSamples) {
          if (seq == sample[0] + 2) {
            // A tick that started after the REST read shows at least what the REST read showed.
            assertThat(delivered).as("stream two ticks after a stats read").isGreaterThanOrEqualTo(sample[1]);
            assertThat(c.getJsonObject("stats").getLong("accepted")).isGreaterThanOrEqualTo(sample[2]);
          }
        }
        JsonObject rest = http.get("/api/v1/campaigns/" + campaign + "/stats", viewer).bodyAsJsonObject();
        restSamples.add(new long[] {seq, rest.getJsonObject("by_status").getLong("delivered"), rest.getLong("accepted")});
        boolean settled = "completed".equals(c.getString("status")) && byStatus.getLong("submitted") == 0
            && c.getJsonObject("stats").getLong("messages") == 3000;
        if (settled) {
          // Final numbers: the stream and the stats API agree exactly.
          assertThat(byStatus).isEqualTo(rest.getJsonObject("by_status"));
          assertThat(c.getJsonObject("funnel").getLong("delivered") + c.getJsonObject("funnel").getLong("failed")
              + c.getJsonObject("funnel").getLong("unknown")).isEqualTo(3000);
          assertThat(c.getJsonObject("funnel").getLong("queued") + c.getJsonObject("funnel").getLong("sending")).isZero();
          assertThat(sawCampaignMove).isTrue();
          assertThat(restSamples.size()).isGreaterThan(3);
          return;
        }
      }
      throw new AssertionError("the campaign did not settle in the stream: " + OpsTestKit.campaignIn(state, campaign));
    }
  }

  @Test
  void revokingATokenEndsItsStreamWithinSeconds() throws Exception {
    JsonObject created = http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN,
        new JsonObject().put("role", "viewer").put("name", "ops-revoked").encode()).bodyAsJsonObject();
    String token = created.getString("token");
    try (SseReader sse = new SseReader(server.httpPort(), "/api/v1/ops/stream?access_token=" + token, null);
         SseReader other = new SseReader(server.httpPort(), "/api/v1/ops/stream", viewer)) {
      assertThat(sse.next(Duration.ofSeconds(10)).name()).isEqualTo("snapshot");
      assertThat(other.next(Duration.ofSeconds(10)).name()).isEqualTo("snapshot");
      double before = counter("qingfeng.ops.stream.revoked.disconnects");
      assertThat(http.delete("/api/v1/tokens/" + created.getLong("id"), TestInfra.ADMIN_TOKEN).statusCode()).isEqualTo(204);
      long revokedAt = System.nanoTime();
      SseReader.Event e;
      do {
        e = sse.next(Duration.ofSeconds(5));
      } while (!e.name().equals("revoked"));
      assertThat(e.data().getString("reason")).isEqualTo("token revoked");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!sse.ended() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(sse.ended()).as("the revoked token's stream ended").isTrue();
      System.out.printf("revoked stream ended %d ms after the DELETE answered%n", (System.nanoTime() - revokedAt) / 1_000_000);
      assertThat(counter("qingfeng.ops.stream.revoked.disconnects")).isEqualTo(before + 1);
      assertThat(http.get("/api/v1/ops/stream?access_token=" + token, null).statusCode()).isEqualTo(401);
      // Another client's stream goes on.
      while (other.poll() != null) {
        // drain
      }
      assertThat(other.next(Duration.ofSeconds(5)).name()).isEqualTo("delta");
      assertThat(other.ended()).isFalse();
    }
  }

  @Test
  void hundredClientsKeepServerMemoryFlat() throws Exception {
    long before = usedHeapAfterGc();
    List<SseReader> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        clients.add(new SseReader(server.httpPort(), "/api/v1/ops/stream", viewer));
      }
      for (SseReader c : clients) {
        assertThat(c.next(Duration.ofSeconds(20)).name()).isEqualTo("snapshot");
      }
      assertThat(gauge("qingfeng.ops.stream.clients")).isGreaterThanOrEqualTo(100);
      Thread.sleep(6000);
      long during = usedHeapAfterGc();
      for (SseReader c : clients) {
        assertThat(c.received()).as("deltas kept coming to every client").isGreaterThanOrEqualTo(3);
        SseReader.Event e;
        while ((e = c.poll()) != null) {
          assertThat(e.name()).isEqualTo("delta");
        }
      }
      assertThat(during - before).as("heap growth with 100 clients, bytes").isLessThan(48L * 1024 * 1024);
    } finally {
      clients.forEach(SseReader::close);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (gauge("qingfeng.ops.stream.clients") > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(gauge("qingfeng.ops.stream.clients")).as("closed clients are forgotten").isZero();
  }

  @Test
  void aClientThatStopsReadingIsDisconnected() throws Exception {
    double slowBefore = counter("qingfeng.ops.stream.slow.disconnects");
    OpsTestKit.blast(http, server.pool(), operator, approver, "ops-slow", 2_000_000, 10_000, 100);
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(2048);
      s.connect(new InetSocketAddress("127.0.0.1", server.httpPort()));
      OutputStream out = s.getOutputStream();
      out.write(("GET /api/v1/ops/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + viewer
          + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // Never read: the server's queue for this client fills and stays full.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      while (counter("qingfeng.ops.stream.slow.disconnects") <= slowBefore && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(counter("qingfeng.ops.stream.slow.disconnects")).as("slow client disconnected").isGreaterThan(slowBefore);
      // What was already in the socket can still be read; then the stream ends.
      s.setSoTimeout(10_000);
      byte[] buf = new byte[65536];
      long read = 0;
      int n;
      while ((n = s.getInputStream().read(buf)) >= 0) {
        read += n;
      }
      assertThat(read).isPositive();
    }
  }

  @Test
  void metricsCarryTheDocumentedNamesAndThePageIsServedFromTheJar() throws Exception {
    Thread.sleep(1500); // at least one collector tick
    String metrics = http.get("/metrics", null).bodyAsString();
    for (String name : List.of("qingfeng_ops_stream_clients", "qingfeng_ops_messages_total{outcome=\"delivered\"}",
        "qingfeng_ops_delivery_rate", "qingfeng_ops_led_screens{state=\"offline\"}", "qingfeng_ops_alerts{kind=\"channel_unbound\"}",
        "qingfeng_ops_stream_slow_disconnects_total", "qingfeng_ops_collect_duration_seconds_count", "qingfeng_smpp_bound{channel=\"sim\"}",
        "qingfeng_smpp_window_in_use{channel=\"sim\"}")) {
      assertThat(metrics).as("metric %s", name).contains(name);
    }
    HttpResponse<Buffer> page = http.get("/ops/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("vendor/chart.umd.js").doesNotContain("campaign_id");
    HttpResponse<Buffer> chart = http.get("/ops/vendor/chart.umd.js", null);
    assertThat(chart.statusCode()).isEqualTo(200);
    assertThat(chart.bodyAsString()).contains("Chart.js v" + OpsRoutes.CHART_JS_VERSION);
    HttpResponse<Buffer> bare = http.get("/ops", null); // redirected to /ops/ (the client follows)
    assertThat(bare.statusCode()).isEqualTo(200);
    assertThat(bare.bodyAsString()).contains("ops.js");
  }

  @Test
  void theGrafanaDashboardUsesOnlyDocumentedMetricNames() throws Exception {
    String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("conf/grafana/qingfeng-dashboard.json"));
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
    JsonObject json = new JsonObject(dashboard);
    assertThat(json.getJsonArray("panels")).isNotEmpty();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("qingfeng_[a-z_]+").matcher(dashboard);
    int names = 0;
    while (m.find()) {
      String name = m.group().replaceAll("_bucket$", "");
      assertThat(readme).as("README documents %s", name).contains(name);
      names++;
    }
    assertThat(names).isGreaterThan(10);
  }

  private static double gauge(String name) {
    Gauge g = server.registry().find(name).gauge();
    return g == null ? -1 : g.value();
  }

  private static double counter(String name) {
    Counter c = server.registry().find(name).counter();
    return c == null ? 0 : c.count();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
