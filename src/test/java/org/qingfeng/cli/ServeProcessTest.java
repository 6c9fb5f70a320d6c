package org.qingfeng.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/** The server as an operator runs it: a separate JVM, configured by environment, stopped by SIGTERM. */
@QingfengTest
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ServeProcessTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  @TempDir Path tmp;

  @Test
  void badPortExitsWithCode2AndOneLineNamingTheKey() throws Exception {
    Process p = launch(Map.of("QINGFENG_HTTP_PORT", "abc", "QINGFENG_DATA_DIR", tmp.toString()), "serve");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    String err = Files.readString(tmp.resolve("stderr.log"));
    List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("http.port").contains("abc");
  }

  @Test
  void sigtermExitsZeroQuicklyAndTheNextStartFindsTheSameData(TestInfra infra) throws Exception {
    int port = freePort();
    Map<String, String> env = infra.serverEnv(Map.of("QINGFENG_HTTP_PORT", Integer.toString(port),
        "QINGFENG_SHUTDOWN_GRACE_SECONDS", "5"));
    Process first = launch(env, "serve");
    awaitReady(port, first);
    HttpResponse<String> created = post(port, "/api/v1/tokens", TestInfra.ADMIN_TOKEN, "{\"role\":\"viewer\",\"name\":\"survivor\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    String token = created.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");

    long t0 = System.nanoTime();
    first.destroy(); // SIGTERM
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s").isTrue();
    assertThat(first.exitValue()).isEqualTo(0);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));

    Process second = launch(env, "serve");
    try {
      awaitReady(port, second);
      assertThat(get(port, "/api/v1/me", token).statusCode()).isEqualTo(200);
    } finally {
      second.destroy();
      assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isEqualTo(0);
    }
  }

  @Test
  void fullyEmbeddedServerKeepsItsDataAcrossRestarts() throws Exception {
    int port = freePort();
    Path data = tmp.resolve("data");
    Map<String, String> env = Map.of("QINGFENG_HTTP_PORT", Integer.toString(port),
        "QINGFENG_HTTP_HOST", "127.0.0.1", "QINGFENG_DATA_DIR", data.toString());
    Process first = launch(env, "serve", "--demo");
    awaitReady(port, first);
    String stdout = Files.readString(tmp.resolve("stdout.log"));
    assertThat(stdout).contains("First admin token");
    String viewer = Files.readAllLines(data.resolve("demo-tokens.txt")).stream()
        .filter(l -> l.startsWith("viewer=")).findFirst().orElseThrow().substring("viewer=".length());
    assertThat(get(port, "/api/v1/me", viewer).statusCode()).isEqualTo(200);
    // The demo county: cadres to send to, and a rule library rolling on the LED corridor.
    assertThat(get(port, "/api/v1/contacts?tag=%E5%85%9A%E5%91%98&limit=5", viewer).body()).contains("+86139****");
    assertThat(get(port, "/api/v1/led/libraries", viewer).body()).contains("\"rules\":300");
    first.destroy();
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isEqualTo(0);

    Process second = launch(env, "serve", "--demo");
    try {
      awaitReady(port, second);
      assertThat(get(port, "/api/v1/me", viewer).statusCode()).isEqualTo(200);
      // The first admin token is printed on the first start only.
      assertThat(Files.readString(tmp.resolve("stdout.log"))).doesNotContain("First admin token");
    } finally {
      second.destroy();
      assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isEqualTo(0);
    }
  }

  private Process launch(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectOutput(tmp.resolve("stdout.log").toFile())
        .redirectError(tmp.resolve("stderr.log").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("QINGFENG_"));
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * Ready takes 8-15 s here. The bound is generous because a durable first start fsyncs a whole
   * new cluster, and CI once saw a first start not ready after 60 s, Kafka up and PostgreSQL
   * silent (2026-12-07). Its output was not kept then, so the cause is not known; Kafka taking
   * PostgreSQL's port fits, and PortFile now rules it out. A failure shows data/postgres.log.
   */
  private void awaitReady(int port, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("server process alive; stderr:\n%s", tail()).isTrue();
      try {
        if (get(port, "/health/ready", null).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("server not ready within 120 s; stderr:\n" + tail());
  }

  /** The server's stderr, and the embedded PostgreSQL's own log when there is one. */
  private String tail() throws IOException {
    String out = tail(tmp.resolve("stderr.log"));
    Path pgLog = tmp.resolve("data").resolve("postgres.log");
    return Files.exists(pgLog) ? out + "\n--- " + pgLog + ":\n" + tail(pgLog) : out;
  }

  private static String tail(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static HttpResponse<String> get(int port, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(int port, String path, String token, String json) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
