package org.qingfeng.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The processes of a fault run: PostgreSQL and Kafka each in its own {@code qingfeng services
 * --only} process (so each can be restarted alone), {@code qingfeng smsc-sim}, two
 * {@code qingfeng serve} on the same PostgreSQL and Kafka, and one {@code qingfeng led-sim} per
 * server. Restarts reuse ports and data directories.
 */
final class Cluster implements AutoCloseable {
  static final String CHANNEL = "faultsim";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Pattern PG_READY = Pattern.compile("^QINGFENG_POSTGRES_URL=");
  private static final Pattern KAFKA_READY = Pattern.compile("^QINGFENG_KAFKA_BOOTSTRAP_SERVERS=");
  private static final Pattern SIM_READY = Pattern.compile("^SMSC simulator HTTP port \\d+");
  private static final Pattern LED_READY = Pattern.compile("^enrolled and approved \\d+ screens");

  final String adminToken = "fault-admin-" + UUID.randomUUID();
  final Path dir;
  final Path logs;
  final int pgPort = freePort();
  final int kafkaPort = freePort();
  final int smppPort = freePort();
  final int simHttpPort = freePort();
  final int portA = freePort();
  final int portB = freePort();
  final Api simApi = new Api(simHttpPort);
  final Api apiA = new Api(portA);
  final Api apiB = new Api(portB);
  /** The log of every server process started, killed ones included: they name the connector's resubmits. */
  final List<Path> serverLogs = new ArrayList<>();
  final List<Path> playFiles = new ArrayList<>();
  private final Map<String, Integer> incarnations = new HashMap<>();
  private Proc pg;
  private Proc kafka;
  private Proc serverA;
  private final List<Proc> ledSims = new ArrayList<>();

  Cluster(Path dir) throws IOException {
    this.dir = dir;
    this.logs = dir.resolve("logs");
    Files.createDirectories(logs);
  }

  String postgresUrl() {
    return "postgresql://postgres@127.0.0.1:" + pgPort + "/qingfeng";
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + pgPort + "/qingfeng?user=postgres";
  }

  void startServices() throws Exception {
    pg = startPg();
    kafka = startKafka();
    pg.awaitLine(PG_READY, 0, START_TIMEOUT);
    kafka.awaitLine(KAFKA_READY, 0, START_TIMEOUT);
  }

  void startSimulator(long dropLinksEveryMs) throws Exception {
    Proc sim = Proc.start("smsc-sim", log("smsc-sim"), Map.of(), "-Xmx768m", "smsc-sim", "--port", str(smppPort),
        "--http-port", str(simHttpPort), "--receipt-delay-ms", "300", "--receipt-mix", "DELIVRD=90,UNDELIV=7,EXPIRED=3",
        "--drop-link-every-ms", Long.toString(dropLinksEveryMs), "--seed", "8");
    sim.awaitLine(SIM_READY, 0, START_TIMEOUT);
  }

  void startServers() throws Exception {
    Path config = dir.resolve("fault.yaml");
    // No parts-per-second cap on the channel: the campaign's max_rate paces the blast.
    Files.writeString(config, "sms:\n  channels:\n    - name: " + CHANNEL + "\n      host: 127.0.0.1\n      port: " + smppPort
        + "\n      system_id: qingfeng\n      password_env: QF_FAULT_SMSC_PASSWORD\n      window: 50\n"
        + "      parts_per_second: 0\n      rebind_backoff_min_ms: 200\n      rebind_backoff_max_ms: 2000\n"
        + "      response_timeout_ms: 10000\n");
    serverA = startServer("server-a", portA);
    apiA.awaitReady(serverA);
    Proc serverB = startServer("server-b", portB);
    apiB.awaitReady(serverB);
  }

  /** SIGKILL server A, then start it again on the same port and data directory. */
  void killAndRestartServerA() throws Exception {
    serverA.kill();
    serverA = startServer("server-a", portA);
    apiA.awaitReady(serverA);
  }

  void restartKafka() throws Exception {
    kafka.stop(Duration.ofSeconds(60));
    kafka = startKafka();
    kafka.awaitLine(KAFKA_READY, 0, START_TIMEOUT);
  }

  void restartPg() throws Exception {
    pg.stop(Duration.ofSeconds(60));
    pg = startPg();
    pg.awaitLine(PG_READY, 0, START_TIMEOUT);
  }

  /** One led-sim per server, the screens split between them; each records the plays its server accepted. */
  void startLedSims(int screens, long group, int batch) throws Exception {
    int half = screens / 2;
    ledSims.add(startLedSim("led-sim-a", portA, half, group, batch, "fault-a-"));
    ledSims.add(startLedSim("led-sim-b", portB, screens - half, group, batch, "fault-b-"));
    for (Proc p : ledSims) {
      p.awaitLine(LED_READY, 0, START_TIMEOUT);
    }
  }

  /** SIGTERM: each led-sim posts what it still holds, waits for the answers and closes its plays file. */
  void stopLedSims() throws InterruptedException {
    for (Proc p : ledSims) {
      p.stop(Duration.ofSeconds(60));
    }
  }

  /** The connector's outcome-unknown counter of the server on {@code api} (0 when it does not answer). */
  double connectorUnknown(Api api) {
    try {
      return Proc.metric(api.get("/metrics", null).body(), "qingfeng_smpp_outcome_unknown_total");
    } catch (Exception e) {
      return 0;
    }
  }

  private Proc startLedSim(String name, int port, int screens, long group, int batch, String keyPrefix) throws IOException {
    Path plays = dir.resolve(name + "-plays.tsv");
    playFiles.add(plays);
    return Proc.start(name, log(name), Map.of(), "-Xmx512m", "led-sim", "--screens", str(screens),
        "--server", "http://127.0.0.1:" + port, "--admin-token", adminToken, "--group", Long.toString(group),
        "--wait", "30", "--speed", "10", "--batch", str(batch), "--key-prefix", keyPrefix,
        "--plays-file", plays.toString());
  }

  private Proc startPg() throws IOException {
    return Proc.start("postgres", log("postgres"), Map.of(), "-Xmx128m", "services", "--only", "pg",
        "--data-dir", dir.resolve("services").toString(), "--pg-port", str(pgPort));
  }

  private Proc startKafka() throws IOException {
    return Proc.start("kafka", log("kafka"), Map.of(), "-Xmx512m", "services", "--only", "kafka",
        "--data-dir", dir.resolve("services").toString(), "--kafka-port", str(kafkaPort));
  }

  private Proc startServer(String name, int port) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("QINGFENG_POSTGRES_URL", postgresUrl());
    env.put("QINGFENG_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
    env.put("QINGFENG_HTTP_HOST", "127.0.0.1");
    env.put("QINGFENG_HTTP_PORT", str(port));
    env.put("QINGFENG_HTTP_INSTANCES", "1");
    env.put("QINGFENG_DATA_DIR", dir.resolve(name).toString());
    env.put("QINGFENG_ADMIN_TOKEN", adminToken);
    env.put("QINGFENG_SHUTDOWN_GRACE_SECONDS", "2");
    // A killed sender's claimed messages are found quickly (outcome unknown, requeued).
    env.put("QINGFENG_CAMPAIGN_SUBMITTING_TIMEOUT_SECONDS", "10");
    env.put("QINGFENG_CAMPAIGN_SCHEDULER_LOCK_RETRY_MS", "500");
    env.put("QF_FAULT_SMSC_PASSWORD", "secret");
    Path log = log(name);
    serverLogs.add(log);
    return Proc.start(name, log, env, "-Xmx1g", "serve", "--config", dir.resolve("fault.yaml").toString());
  }

  /** A new log file per process start: logs/NAME-N.log. */
  private Path log(String name) {
    int n = incarnations.merge(name, 1, Integer::sum);
    return logs.resolve(name + "-" + n + ".log");
  }

  private static String str(int n) {
    return Integer.toString(n);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    Proc.stopAll();
  }
}
