package org.qingfeng.bench;

import static org.qingfeng.bench.BenchSupport.await;

import com.jsoniter.output.JsonStream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.qingfeng.app.PostgresUrl;
import org.qingfeng.db.Database;
import org.qingfeng.db.Migrations;
import org.qingfeng.kafka.KafkaSettings;
import org.qingfeng.kafka.TopicProvisioner;
import org.qingfeng.kafka.Topics;
import org.qingfeng.receipts.BatchApplier;
import org.qingfeng.receipts.LatencyBuckets;
import org.qingfeng.receipts.ReceiptSinkOptions;
import org.qingfeng.receipts.ReceiptSinkVerticle;
import org.qingfeng.receipts.ReceiptStore;
import org.qingfeng.receipts.TestEvents;
import org.qingfeng.sms.events.SmsEvent;

/**
 * Client side of scripts/bench/sink.sh (issue 5): produces N mixed sms.events records, runs the
 * real receipt sink (default options) over them against a real, migrated PostgreSQL, and reports
 * events applied per second from the first applied batch to the last. In the same run and on the
 * same database it times a raw {@code INSERT ... SELECT FROM unnest(...)} of the same rows, in
 * the same batch size, into a table shaped like receipt_event_log (before and after the sink; the
 * ratio uses their mean). Then it verifies the sink's result: every event logged, nothing left
 * parked, statistics equal to counts over receipt_message, and every receipt table identical to
 * what BatchApplier gives applying the same events directly, in produce order, in a second database.
 *
 * <p>Usage: SinkBench PG_PORT KAFKA_BOOTSTRAP [EVENTS [BATCH]]; exits 1 on a verification failure.
 */
public final class SinkBench {
  static final List<String> TABLES = List.of("receipt_event_log", "receipt_part",
      "receipt_message", "receipt_parked", "receipt_unmatched", "receipt_stat_status", "receipt_stat_minute",
      "receipt_stat_error", "receipt_stat_latency");

  public static void main(String[] args) throws Exception {
    int pgPort = Integer.parseInt(args[0]);
    String kafka = args[1];
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
    ReceiptSinkOptions defaults = new ReceiptSinkOptions(kafka, "sms.events", "dlq");
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : defaults.batchSize;
    boolean reference = !"0".equals(System.getenv("SINK_BENCH_REFERENCE"));
    PostgresUrl url = new PostgresUrl("127.0.0.1", pgPort, "qingfeng", "postgres", "");
    Migrations.migrate(url);
    Vertx vertx = Vertx.vertx();
    Pool pool = Database.pool(vertx, url, 16);
    int failures = 0;
    try {
      System.out.printf("machine: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(), load());
      System.out.printf("client JVM options: %s%n",
          java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
      List<SmsEvent> events = TestEvents.mixed(n);
      Topics topics = new Topics("");
      KafkaAdminClient admin = KafkaAdminClient.create(vertx, KafkaSettings.admin(kafka));
      await(TopicProvisioner.ensure(vertx, admin, topics, 6, (short) 1));
      await(admin.close());
      int warmup = Integer.parseInt(System.getenv().getOrDefault("SINK_BENCH_WARMUP", "0"));
      int rounds = Integer.parseInt(System.getenv().getOrDefault("SINK_BENCH_WARMUP_ROUNDS", "1"));
      for (int round = 1; warmup > 0 && round <= rounds; round++) {
        warmUp(vertx, url, kafka, warmup / rounds, batch, round);
      }
      long t0 = System.nanoTime();
      produce(vertx, kafka, topics.smsEvents, events);
      System.out.printf("produced %,d events to %s in %.1f s%n", n, topics.smsEvents, (System.nanoTime() - t0) / 1e9);

      // PostgreSQL's CPU per row: on this shared machine wall-clock rates move with the neighbours'
      // load, the server's CPU per row much less (pgdata: -Dsinkbench.pgdata, e.g. $WORK/services/pg).
      String pgData = System.getProperty("sinkbench.pgdata");
      settle();
      Map<Long, Long> cpu0 = pgCpu(pgData);
      double raw1 = rawInsert(pool, events, batch);
      long cpuRaw1 = pgCpuMillis(pgData, cpu0);
      System.out.printf("raw unnest insert (before): %,d rows in batches of %d: %,.0f rows/s%n", n, batch, raw1);

      ReceiptSinkOptions o = new ReceiptSinkOptions(kafka, topics.smsEvents, topics.dlq);
      o.groupId = "bench-sink-" + System.currentTimeMillis();
      o.batchSize = batch;
      o.batchesInFlight = Integer.parseInt(System.getenv().getOrDefault("SINK_BENCH_IN_FLIGHT",
          String.valueOf(o.batchesInFlight)));
      System.out.printf("sink options: batches of %d, %d in flight%n", o.batchSize, o.batchesInFlight);
      Clock clock = Clock.fixed(Instant.ofEpochMilli(TestEvents.T0 + 3_600_000), ZoneOffset.UTC);
      ReceiptSinkVerticle sink = new ReceiptSinkVerticle(o, pool, new SimpleMeterRegistry(), clock);
      if (warmup > 0) {
        awaitJitIdle();
      }
      settle();
      Map<Long, Long> cpuSink0 = pgCpu(pgData);
      long ownCpu0 = ownCpuNanos();
      long gc0 = gcThreadsCpuMillis();
      long collections0 = collections();
      long jit0 = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
      long deployed = System.nanoTime();
      await(vertx.deployVerticle(sink));
      long firstAt = 0;
      double firstApplied = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
      while (sink.metrics().applied() < n) {
        double a = sink.metrics().applied();
        if (firstAt == 0 && a > 0) {
          firstAt = System.nanoTime();
          firstApplied = a;
        }
        if (System.nanoTime() > deadline || sink.metrics().deadLetters() > 0) {
          throw new IllegalStateException("sink stuck at " + a + " applied, " + sink.metrics().deadLetters() + " dead letters");
        }
        Thread.sleep(2);
      }
      long lastAt = System.nanoTime();
      if (firstAt == 0) {
        firstAt = deployed;
      }
      double sinkRate = (n - firstApplied) / ((lastAt - firstAt) / 1e9);
      System.out.printf("sink: %,d events applied; %.2f s from deploy, %.2f s from the first applied batch (%,.0f events)"
          + " to the last: %,.0f events/s%n", n, (lastAt - deployed) / 1e9, (lastAt - firstAt) / 1e9, firstApplied, sinkRate);
      long cpuSink = pgCpuMillis(pgData, cpuSink0);
      long ownCpu = ownCpuNanos() - ownCpu0;
      // The sink's own JVM (Kafka consumer, decoding, the pg client): with PostgreSQL's, the other part of the budget.
      long jit = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0;
      System.out.printf("sink JVM CPU: %.1f us/event (%,d ms, of which JIT compilers %,d ms)%n", ownCpu / 1000.0 / n,
          ownCpu / 1_000_000, jit);
      System.out.printf("sink JVM GC: %,d ms of the GC threads' CPU, %d collections%n", gcThreadsCpuMillis() - gc0,
          collections() - collections0);
      await(vertx.undeploy(vertx.deploymentIDs().iterator().next()));

      settle();
      Map<Long, Long> cpu2 = pgCpu(pgData);
      double raw2 = rawInsert(pool, events, batch);
      long cpuRaw2 = pgCpuMillis(pgData, cpu2);
      if (pgData != null) {
        // The sink's figure includes the few ms of batches applied before the first one timed.
        System.out.printf("PostgreSQL CPU: sink %.1f us/event (%,d ms), raw %.1f / %.1f us/row (%,d / %,d ms),"
            + " sink / raw %.2f%n", cpuSink * 1000.0 / n, cpuSink, cpuRaw1 * 1000.0 / n, cpuRaw2 * 1000.0 / n, cpuRaw1,
            cpuRaw2, cpuSink * 2.0 / Math.max(1, cpuRaw1 + cpuRaw2));
      }
      System.out.printf("raw unnest insert (after): %,d rows in batches of %d: %,.0f rows/s%n", n, batch, raw2);
      double raw = (raw1 + raw2) / 2;
      System.out.printf("RESULT sink %,.0f events/s, raw %,.0f rows/s (mean of %,.0f and %,.0f), ratio %.3f;"
          + " %d cores, load average %s%n", sinkRate, raw, raw1, raw2, sinkRate / raw,
          Runtime.getRuntime().availableProcessors(), load());

      failures += check("event log holds every event", count(pool, "SELECT count(*) FROM receipt_event_log"), n);
      failures += check("nothing left parked", count(pool, "SELECT count(*) FROM receipt_parked"), 0);
      failures += statsMatchLedger(pool);
      if (reference) {
        failures += compareWithDirectApply(vertx, pool, url, events, batch, clock, o.unknownAfterMs);
      }
    } finally {
      await(pool.close());
      await(vertx.close());
    }
    if (failures > 0) {
      System.out.println("VERIFICATION FAILED (" + failures + ")");
      System.exit(1);
    }
    System.out.println("verified");
  }

  /**
   * Runs a sink over {@code n} other events, in a database and on topics of their own, and then the
   * raw insert of them, so that the measured phases run compiled code, as a sink that has been up
   * for a while does. Cold, the JIT compiler threads took about half of this JVM's CPU during the
   * measured phase on 2 cores. The raw insert runs here too so that its own measured runs are warm
   * as well. After one round of 600,000 events the JIT still took 0.65-2.2 s of this JVM's CPU in the
   * measured phase, with or without raw inserts in it (2026-12-07 evening): first C2 compilations of
   * code that had not reached C2's thresholds yet. sink.sh runs three rounds (SINK_BENCH_WARMUP_ROUNDS).
   */
  static void warmUp(Vertx vertx, PostgresUrl url, String kafka, int n, int batch, int round) throws Exception {
    String db = "qingfeng_sink_warm";
    Pool admin = Database.pool(vertx, url, 1);
    await(admin.query("DROP DATABASE IF EXISTS " + db).execute());
    await(admin.query("CREATE DATABASE " + db).execute());
    PostgresUrl warmUrl = url.withDatabase(db);
    Migrations.migrate(warmUrl);
    Pool pool = Database.pool(vertx, warmUrl, 16);
    Topics topics = new Topics("warm" + round + "-");
    KafkaAdminClient kafkaAdmin = KafkaAdminClient.create(vertx, KafkaSettings.admin(kafka));
    await(TopicProvisioner.ensure(vertx, kafkaAdmin, topics, 6, (short) 1));
    await(kafkaAdmin.close());
    List<SmsEvent> events = TestEvents.mixed(n);
    produce(vertx, kafka, topics.smsEvents, events);
    ReceiptSinkOptions o = new ReceiptSinkOptions(kafka, topics.smsEvents, topics.dlq);
    o.groupId = "bench-sink-warm-" + System.currentTimeMillis();
    o.batchSize = batch;
    ReceiptSinkVerticle sink = new ReceiptSinkVerticle(o, pool, new SimpleMeterRegistry(),
        Clock.fixed(Instant.ofEpochMilli(TestEvents.T0 + 3_600_000), ZoneOffset.UTC));
    long t0 = System.nanoTime();
    String id = await(vertx.deployVerticle(sink));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (sink.metrics().applied() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    await(vertx.undeploy(id));
    System.out.printf("warm-up %d: a sink applied %,.0f events (%s) in %.1f s, then a raw insert of them ran at %,.0f"
        + " rows/s; not measured%n", round, sink.metrics().applied(), db, (System.nanoTime() - t0) / 1e9,
        rawInsert(pool, events, batch));
    await(pool.close());
    await(admin.query("DROP DATABASE " + db).execute());
    await(admin.close());
  }

  /**
   * Waits until the JIT compilers have been idle for a second (at most a minute). With both cores
   * busy during the warm-up, the compiler threads fall behind: after 600,000 warm-up events a
   * quarter of this JVM's CPU in the measured phase was still C2 working through its queue
   * (async-profiler, 2026-12-07), which a sink that has been up for a while no longer pays.
   */
  static void awaitJitIdle() throws InterruptedException {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    long t0 = System.nanoTime();
    long last = jit.getTotalCompilationTime();
    int quiet = 0;
    while (quiet < 4 && System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(1)) {
      Thread.sleep(250);
      long now = jit.getTotalCompilationTime();
      quiet = now == last ? quiet + 1 : 0;
      last = now;
    }
    System.out.printf("JIT idle after %.1f s (compilation so far: %,d ms)%n", (System.nanoTime() - t0) / 1e9, last);
  }

  /**
   * A full collection before each measured phase, so that none of them pays for collecting what
   * came before it (the warm-up's 1,800,000 events, the produced events, the previous phase); a
   * sink that has been up for a while does not. Without it, the sink phase ran inside back-to-back
   * concurrent marking cycles over the warm-up's old objects: 430-480 ms of the GC threads' CPU in
   * 7-8 collections, a quarter of this JVM's CPU (2026-12-07, 17:22-17:30). What a sink in steady
   * state pays is its young collections, about one per 200,000 events (~700 MB allocated).
   * sink.sh fixes the heap's size (-Xms = -Xmx), as a long-running server's has settled (otherwise
   * the full collection shrinks it, and the young generation with it: 14-15 collections, 1.0-1.5 s),
   * and turns off G1's adaptive marking threshold: tuned by the warm-up's allocation rates, it
   * started a marking cycle at each of the Kafka consumer's fetch buffers (~1.2 MB, humongous in
   * 1 MB regions) even with 64 MB of the heap in use (7 collections, 0.9 s, in 3 of 10 runs with a
   * fixed heap).
   */
  static void settle() {
    System.gc();
  }

  /** CPU ms of this JVM's garbage collector threads (G1's workers, marking, refinement and service threads). */
  static long gcThreadsCpuMillis() {
    long sum = 0;
    for (Map.Entry<String, Long> t : CpuTicks.byThread(ProcessHandle.current().pid()).entrySet()) {
      if (t.getKey().startsWith("G1 ") || t.getKey().startsWith("GC Thread")) {
        sum += t.getValue();
      }
    }
    return sum;
  }

  static long collections() {
    long n = 0;
    for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      n += gc.getCollectionCount();
    }
    return n;
  }

  static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU ms of the PostgreSQL serving {@code pgData} and its children since {@code since} (per process). */
  static long pgCpuMillis(String pgData, Map<Long, Long> since) {
    Map<Long, Long> now = pgCpu(pgData);
    long sum = 0;
    for (Map.Entry<Long, Long> e : now.entrySet()) {
      // A process that ended meanwhile (an autovacuum worker) is lost, never counted negative.
      sum += e.getValue() - since.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }

  static Map<Long, Long> pgCpu(String pgData) {
    Map<Long, Long> out = new HashMap<>();
    if (pgData != null) {
      for (ProcessHandle p : CpuTicks.postgres(pgData)) {
        out.put(p.pid(), CpuTicks.millis(List.of(p)));
      }
    }
    return out;
  }

  /** The same rows as the sink's event log insert, into a copy of receipt_event_log, one transaction per batch. */
  static double rawInsert(Pool pool, List<SmsEvent> events, int batch) {
    await(pool.query("DROP TABLE IF EXISTS bench_raw_event_log").execute());
    await(pool.query("CREATE TABLE bench_raw_event_log (LIKE receipt_event_log INCLUDING ALL)").execute());
    // The sink's own conversion (float8 division since the session of 2026-12-06 evening), so the
    // reference does no work the sink no longer does.
    String ts = "to_timestamp(%s / 1000.0::float8)";
    String sql = "INSERT INTO bench_raw_event_log (event_id, type, channel, message_id, campaign_id, part_index,"
        + " part_total, smsc_id, status, command_status, stat_word, error_code, submitted_at, done_at, received_at)"
        + " SELECT e, t, ch, m, cid, pi, pt, s, st, cs, sw, ec, " + String.format(ts, "sa") + ", "
        + String.format(ts, "da") + ", " + String.format(ts, "ra")
        + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::int4[], $7::int4[], $8::text[],"
        + " $9::text[], $10::int4[], $11::text[], $12::text[], $13::int8[], $14::int8[], $15::int8[])"
        + " AS u(e, t, ch, m, cid, pi, pt, s, st, cs, sw, ec, sa, da, ra)";
    long t0 = System.nanoTime();
    for (int from = 0; from < events.size(); from += batch) {
      List<SmsEvent> rows = events.subList(from, Math.min(events.size(), from + batch));
      int k = rows.size();
      Tuple t = Tuple.tuple()
          .addValue(col(rows, e -> e.eventId, new String[k]))
          .addValue(col(rows, e -> e.type, new String[k]))
          .addValue(col(rows, e -> e.channel, new String[k]))
          .addValue(col(rows, e -> e.messageId, new String[k]))
          .addValue(col(rows, e -> e.campaignId, new Long[k]))
          .addValue(col(rows, e -> e.messageId == null ? null : e.partIndex, new Integer[k]))
          .addValue(col(rows, e -> e.messageId == null ? null : e.partTotal, new Integer[k]))
          .addValue(col(rows, e -> e.smscId, new String[k]))
          .addValue(col(rows, e -> e.status, new String[k]))
          .addValue(col(rows, e -> e.commandStatus, new Integer[k]))
          .addValue(col(rows, e -> e.statWord, new String[k]))
          .addValue(col(rows, e -> e.errorCode, new String[k]))
          .addValue(col(rows, e -> e.submittedAt, new Long[k]))
          .addValue(col(rows, e -> e.doneAt, new Long[k]))
          .addValue(col(rows, e -> e.receivedAt, new Long[k]));
      await(pool.preparedQuery(sql).execute(t));
    }
    double rate = events.size() / ((System.nanoTime() - t0) / 1e9);
    long rows = count(pool, "SELECT count(*) FROM bench_raw_event_log");
    if (rows != events.size()) {
      throw new IllegalStateException("raw insert wrote " + rows + " rows");
    }
    await(pool.query("DROP TABLE bench_raw_event_log").execute());
    return rate;
  }

  private static <T> Object[] col(List<T> rows, Function<T, Object> f, Object[] into) {
    for (int i = 0; i < rows.size(); i++) {
      into[i] = f.apply(rows.get(i));
    }
    return into;
  }

  /** Applies the same events with BatchApplier directly (no Kafka), in produce order, in a fresh database. */
  static int compareWithDirectApply(Vertx vertx, Pool pool, PostgresUrl url, List<SmsEvent> events, int batch,
      Clock clock, long unknownAfterMs) {
    String db = "qingfeng_sink_ref";
    await(pool.query("DROP DATABASE IF EXISTS " + db).execute());
    await(pool.query("CREATE DATABASE " + db).execute());
    PostgresUrl refUrl = url.withDatabase(db);
    Migrations.migrate(refUrl);
    Pool ref = Database.pool(vertx, refUrl, 4);
    try {
      BatchApplier applier = new BatchApplier(new ReceiptStore(ref), clock, unknownAfterMs);
      long t0 = System.nanoTime();
      for (int from = 0; from < events.size(); from += batch) {
        // The sink decodes its own copies from JSON; give the applier copies too (it lower-cases states).
        List<SmsEvent> rows = new ArrayList<>();
        for (SmsEvent e : events.subList(from, Math.min(events.size(), from + batch))) {
          rows.add(com.jsoniter.JsonIterator.deserialize(JsonStream.serialize(e), SmsEvent.class));
        }
        await(applier.apply(rows));
      }
      System.out.printf("reference: BatchApplier directly (no Kafka, produce order): %,.0f events/s%n",
          events.size() / ((System.nanoTime() - t0) / 1e9));
      Map<String, String> sink = digest(pool);
      Map<String, String> direct = digest(ref);
      int failures = 0;
      for (String table : TABLES) {
        boolean same = Objects.equals(sink.get(table), direct.get(table));
        System.out.printf("  %-26s %s%s%n", table, same ? "identical " : "DIFFERENT ", sink.get(table)
            + (same ? "" : " vs direct " + direct.get(table)));
        failures += same ? 0 : 1;
      }
      return failures;
    } finally {
      await(ref.close());
    }
  }

  /** An md5 of every row of each receipt table (statistics rows at zero left out: they depend on batch boundaries). */
  static Map<String, String> digest(Pool pool) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String table : TABLES) {
      Row r = await(pool.query("SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "
          + table + " t" + (table.startsWith("receipt_stat_") ? " WHERE messages <> 0" : "")).execute()).iterator().next();
      out.put(table, r.getLong(0) + ":" + r.getString(1));
    }
    return out;
  }

  /** The incrementally kept statistics equal counts computed directly from receipt_message. */
  static int statsMatchLedger(Pool pool) {
    int failures = 0;
    failures += same("status statistics", lines(pool, "SELECT campaign_id, channel, status, messages FROM receipt_stat_status"
        + " WHERE messages <> 0"), lines(pool, "SELECT campaign_id, channel, status, count(*) FROM receipt_message GROUP BY 1, 2, 3"));
    failures += same("error statistics", lines(pool, "SELECT campaign_id, channel, error_code, messages FROM receipt_stat_error"
        + " WHERE messages <> 0"), lines(pool, "SELECT campaign_id, channel, coalesce(nullif(error_code, ''), 'none'), count(*)"
        + " FROM receipt_message WHERE status IN ('failed', 'rejected') GROUP BY 1, 2, 3"));
    failures += same("minute statistics", lines(pool, "SELECT campaign_id, channel, (extract(epoch FROM minute) * 1000)::int8,"
        + " kind, messages FROM receipt_stat_minute WHERE messages <> 0"),
        lines(pool, "SELECT campaign_id, channel, (extract(epoch FROM m) * 1000)::int8, kind, count(*) FROM ("
            + " SELECT campaign_id, channel, date_trunc('minute', submitted_at) AS m, 'submitted' AS kind FROM receipt_message"
            + "  WHERE status <> 'rejected'"
            + " UNION ALL SELECT campaign_id, channel, date_trunc('minute', final_at), status FROM receipt_message"
            + "  WHERE status IN ('delivered', 'failed', 'rejected') AND final_at IS NOT NULL) x GROUP BY 1, 2, 3, 4"));
    Map<String, Long> latency = new LinkedHashMap<>();
    for (Row r : await(pool.query("SELECT campaign_id, channel, (extract(epoch FROM final_at) * 1000)::int8"
        + " - (extract(epoch FROM submitted_at) * 1000)::int8 FROM receipt_message"
        + " WHERE status IN ('delivered', 'failed') AND final_at IS NOT NULL").execute())) {
      latency.merge(r.getLong(0) + "|" + r.getString(1) + "|" + LatencyBuckets.bucket(r.getLong(2)), 1L, Long::sum);
    }
    Set<String> expected = new HashSet<>();
    latency.forEach((k, v) -> expected.add(k + "|" + v));
    failures += same("latency statistics", lines(pool, "SELECT campaign_id, channel, bucket, messages FROM receipt_stat_latency"
        + " WHERE messages <> 0"), expected);
    return failures;
  }

  private static int same(String what, Set<String> kept, Set<String> computed) {
    boolean ok = kept.equals(computed);
    System.out.printf("  %-26s %s (%d rows)%n", what, ok ? "match receipt_message" : "DIFFER from receipt_message", kept.size());
    return ok ? 0 : 1;
  }

  private static Set<String> lines(Pool pool, String sql) {
    Set<String> out = new HashSet<>();
    for (Row r : await(pool.query(sql).execute())) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        b.append(i == 0 ? "" : "|").append(r.getValue(i));
      }
      out.add(b.toString());
    }
    return out;
  }

  private static int check(String what, long actual, long expected) {
    boolean ok = actual == expected;
    System.out.printf("  %-26s %s (%,d, expected %,d)%n", what, ok ? "ok" : "FAILED", actual, expected);
    return ok ? 0 : 1;
  }

  static void produce(Vertx vertx, String bootstrap, String topic, List<SmsEvent> events) {
    KafkaProducer<String, String> producer = KafkaProducer.create(vertx, KafkaSettings.producer(bootstrap, "sink-bench"));
    try {
      for (int from = 0; from < events.size(); from += 10_000) {
        List<Future<?>> sent = new ArrayList<>();
        for (SmsEvent e : events.subList(from, Math.min(events.size(), from + 10_000))) {
          sent.add(producer.send(KafkaProducerRecord.create(topic, e.partitionKey(), JsonStream.serialize(e))));
        }
        await(Future.all(sent));
      }
    } finally {
      await(producer.close());
    }
  }

  private static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }

  private static long count(Pool pool, String sql) {
    return await(pool.query(sql).execute()).iterator().next().getLong(0);
  }

}
