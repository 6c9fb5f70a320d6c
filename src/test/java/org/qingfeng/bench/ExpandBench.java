package org.qingfeng.bench;

import static org.qingfeng.bench.BenchSupport.await;
import static org.qingfeng.bench.BenchSupport.post;
import static org.qingfeng.bench.BenchSupport.token;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.qingfeng.app.PostgresUrl;
import org.qingfeng.db.Database;

/**
 * Client side of scripts/bench/expand.sh: seeds contacts (unnest, 50,000 per statement), creates
 * and approves a campaign to all of them over HTTP, waits for expand_done and reports the
 * expansion rate (campaign started_at to its last checkpoint, both database-recorded) and the
 * sms.outbound records produced meanwhile. Runs against a server started by the script.
 *
 * <p>Usage: ExpandBench HTTP_PORT PG_PORT KAFKA_PORT ADMIN_TOKEN CONTACTS [SERVER_PID PG_DATA_DIR [SERVICES_PID]]
 * (with SERVER_PID and PG_DATA_DIR it also reports the CPU time each side spent during expansion; with
 * SERVICES_PID that of a separate `qingfeng services` JVM too). WARMUP=N in the environment expands
 * a first campaign of N other contacts before the measured one.
 */
public final class ExpandBench {
  private static final int SEED_CHUNK = 50_000;

  public static void main(String[] args) throws Exception {
    int httpPort = Integer.parseInt(args[0]);
    PostgresUrl pg = new PostgresUrl("127.0.0.1", Integer.parseInt(args[1]), "qingfeng", "postgres", "");
    String kafka = "127.0.0.1:" + args[2];
    String admin = args[3];
    int contacts = Integer.parseInt(args[4]);
    // WARMUP (environment): contacts of a first campaign expanded before the measured one, so the
    // measured one runs in a server whose JIT has compiled the hot paths (a server runs for days).
    int warmup = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "0"));
    Vertx vertx = Vertx.vertx();
    Pool pool = Database.pool(vertx, pg, 2);
    try {
      long t0 = System.nanoTime();
      long seeded = seed(pool, "bench", "+86139", contacts);
      System.out.printf("seeded %,d contacts in %.1f s%n", seeded, (System.nanoTime() - t0) / 1e9);
      String base = "http://127.0.0.1:" + httpPort;
      String operator = token(base, admin, "operator", "bench-op");
      String approver = token(base, admin, "approver", "bench-ap");
      if (warmup > 0) {
        // Other numbers than the measured campaign's, so the frequency cap does not touch it.
        seed(pool, "warm", "+86138", warmup);
        System.out.printf("warm-up campaign of %,d contacts (not measured below): ", warmup);
        campaign(pool, base, operator, approver, kafka, "warm", args);
      }
      campaign(pool, base, operator, approver, kafka, "bench", args);
    } finally {
      await(pool.close());
      await(vertx.close());
    }
  }

  private static void campaign(Pool pool, String base, String operator, String approver, String kafka, String tag,
      String[] args) throws Exception {
    long before = endOffsets(kafka, "sms.outbound");
    List<ProcessHandle> server = args.length > 6 ? CpuTicks.process(Long.parseLong(args[5])) : List.of();
    List<ProcessHandle> postgres = args.length > 6 ? CpuTicks.postgres(args[6]) : List.of();
    // A separate `qingfeng services` JVM (its Kafka broker; PostgreSQL is counted above).
    List<ProcessHandle> services = args.length > 7 ? CpuTicks.process(Long.parseLong(args[7])) : List.of();
    long serverCpu0 = CpuTicks.millis(server);
    long pgCpu0 = CpuTicks.millis(postgres);
    long servicesCpu0 = CpuTicks.millis(services);
    Map<String, Long> threads0 = args.length > 6 ? CpuTicks.byThread(Long.parseLong(args[5])) : Map.of();
    long id = BenchSupport.approveCampaign(base, operator, approver, "春节廉洁短信", tag);

    Row done = awaitExpanded(pool, id, Duration.ofMinutes(30));
    long serverCpu = CpuTicks.millis(server) - serverCpu0;
    long pgCpu = CpuTicks.millis(postgres) - pgCpu0;
    long servicesCpu = CpuTicks.millis(services) - servicesCpu0;
    double seconds = done.getDouble("seconds");
    int matched = done.getInteger("audience_matched");
    long messages = await(pool.preparedQuery("SELECT count(*) FROM message WHERE campaign_id = $1")
        .execute(Tuple.of(id))).iterator().next().getLong(0);
    // expand_done commits with the last page, whose records are produced just after it: wait for them
    // (outside the measured time), so a warm-up's records never count toward the measured campaign.
    long produced = endOffsets(kafka, "sms.outbound") - before;
    for (int i = 0; i < 300 && produced < messages; i++) {
      Thread.sleep(100);
      produced = endOffsets(kafka, "sms.outbound") - before;
    }
    System.out.printf("campaign %d: %,d contacts matched, %,d ledger rows, %,d sms.outbound records produced%n",
        id, matched, messages, produced);
    System.out.printf("expansion: %.2f s from start to expand_done = %,.0f recipients/s%n", seconds, matched / seconds);
    if (!server.isEmpty()) {
      System.out.printf("cpu during expansion: server JVM %,d ms (%.1f us/recipient), PostgreSQL %,d ms (%.1f us/recipient)"
          + " -> %,.0f recipients per CPU-second of the busier side%n", serverCpu, serverCpu * 1000.0 / matched,
          pgCpu, pgCpu * 1000.0 / matched, matched * 1000.0 / Math.max(1, Math.max(serverCpu, pgCpu)));
      if (!services.isEmpty()) {
        System.out.printf("cpu during expansion: services JVM (Kafka broker) %,d ms (%.1f us/recipient)%n",
            servicesCpu, servicesCpu * 1000.0 / matched);
      }
      Map<String, Long> threads = CpuTicks.byThread(Long.parseLong(args[5]));
      threads.replaceAll((name, ms) -> ms - threads0.getOrDefault(name, 0L));
      System.out.println("server CPU by thread (ms): " + threads.entrySet().stream().filter(e -> e.getValue() >= 100)
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
    }
    // Background work of PostgreSQL that lands in its CPU figure: vacuums and analyzes of the two
    // tables and checkpoints, cumulative since the server started.
    Row bg = await(pool.query("SELECT (SELECT string_agg(relname || ' autovacuum ' || autovacuum_count || ' autoanalyze '"
        + " || autoanalyze_count, ', ' ORDER BY relname) FROM pg_stat_user_tables WHERE relname IN ('message', 'contact')) AS t,"
        + " (SELECT num_timed || ' timed, ' || num_requested || ' requested' FROM pg_stat_checkpointer) AS c").execute())
        .iterator().next();
    System.out.printf("postgres so far: %s; checkpoints %s%n", bg.getString("t"), bg.getString("c"));
    if (messages != matched || produced < messages) {
      System.out.println("MISMATCH: every matched contact must be in the ledger and on Kafka");
      System.exit(1);
    }
  }

  private static long seed(Pool pool, String tag, String phonePrefix, int contacts) {
    long have = await(pool.preparedQuery("SELECT count(*) FROM contact WHERE tags @> ARRAY[$1::text]").execute(Tuple.of(tag)))
        .iterator().next().getLong(0);
    for (int from = (int) have; from < contacts; from += SEED_CHUNK) {
      int n = Math.min(SEED_CHUNK, contacts - from);
      String[] phones = new String[n];
      String[] names = new String[n];
      for (int i = 0; i < n; i++) {
        phones[i] = String.format("%s%08d", phonePrefix, from + i);
        names[i] = "党员" + (from + i);
      }
      await(pool.preparedQuery("INSERT INTO contact (phone, name, unit, township, tags) SELECT u.phone, u.name, "
              + "'纪委', '白泥镇', ARRAY[$3::text] FROM unnest($1::text[], $2::text[]) AS u(phone, name) ON CONFLICT (phone) DO NOTHING")
          .execute(Tuple.tuple().addValue(phones).addValue(names).addValue(tag)));
    }
    await(pool.query("ANALYZE contact").execute());
    return Math.max(have, contacts);
  }

  private static Row awaitExpanded(Pool pool, long id, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Row r = await(pool.preparedQuery("SELECT expand_done, audience_matched, "
          + "extract(epoch FROM updated_at - started_at)::float8 AS seconds FROM campaign WHERE id = $1")
          .execute(Tuple.of(id))).iterator().next();
      if (r.getBoolean("expand_done")) {
        return r;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("expansion not done within " + timeout);
  }

  private static long endOffsets(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).collect(Collectors.toList());
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      return end.values().stream().mapToLong(Long::longValue).sum();
    }
  }

}
