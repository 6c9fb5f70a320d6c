package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import com.jsoniter.output.JsonStream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.qingfeng.kafka.KafkaSettings;
import org.qingfeng.kafka.TopicProvisioner;
import org.qingfeng.kafka.Topics;
import org.qingfeng.sms.events.SmsEvent;

/** Helpers shared by the receipt tests: topics, a sink, producing events, table digests, stats checks. */
final class ReceiptTestKit {
  static final List<String> TABLES = List.of("receipt_event_log", "receipt_part",
      "receipt_message", "receipt_parked", "receipt_unmatched", "receipt_stat_status", "receipt_stat_minute",
      "receipt_stat_error", "receipt_stat_latency");

  private ReceiptTestKit() {
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    final AtomicLong millis;

    MutableClock(long start) {
      millis = new AtomicLong(start);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("failed: " + e, e);
    }
  }

  static void createTopics(Vertx vertx, String bootstrap, String prefix) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, KafkaSettings.admin(bootstrap));
    try {
      await(TopicProvisioner.ensure(vertx, admin, new Topics(prefix), 3, (short) 1));
    } finally {
      await(admin.close());
    }
  }

  static ReceiptSinkOptions options(String bootstrap, String prefix, String group) {
    Topics t = new Topics(prefix);
    ReceiptSinkOptions o = new ReceiptSinkOptions(bootstrap, t.smsEvents, t.dlq);
    o.groupId = group;
    o.batchLingerMs = 50;
    o.sweepIntervalMs = 0; // tests drive the sweeps
    o.retryBackoffMaxMs = 1_000;
    return o;
  }

  static ReceiptSinkVerticle deploySink(Vertx vertx, Pool pool, ReceiptSinkOptions options, Clock clock) {
    ReceiptSinkVerticle sink = new ReceiptSinkVerticle(options, pool, new SimpleMeterRegistry(), clock);
    await(vertx.deployVerticle(sink));
    return sink;
  }

  static void produce(Vertx vertx, String bootstrap, String topic, List<SmsEvent> events) {
    List<String[]> raw = new ArrayList<>(events.size());
    for (SmsEvent e : events) {
      raw.add(new String[] {e.partitionKey(), JsonStream.serialize(e)});
    }
    produceRaw(vertx, bootstrap, topic, raw);
  }

  /** Produces key/value pairs in order (one producer, so order per partition is kept). */
  static void produceRaw(Vertx vertx, String bootstrap, String topic, List<String[]> records) {
    // Not idempotent: under load the embedded broker has answered these short-lived test producers
    // OUT_OF_ORDER_SEQUENCE right after topic creation (sequence 0 against a producer id that
    // already had 100 records in the partition) and the sends hung until they expired. One
    // request in flight keeps the order per partition without it.
    Map<String, String> config = new java.util.HashMap<>(KafkaSettings.producer(bootstrap, "receipt-test"));
    config.put("enable.idempotence", "false");
    config.put("max.in.flight.requests.per.connection", "1");
    KafkaProducer<String, String> producer = KafkaProducer.create(vertx, config);
    try {
      List<Future<?>> sent = new ArrayList<>(records.size());
      for (String[] r : records) {
        sent.add(producer.send(KafkaProducerRecord.create(topic, r[0], r[1])));
      }
      await(Future.all(sent));
    } finally {
      await(producer.close());
    }
  }

  static long count(Pool pool, String sql) {
    return await(pool.query(sql).execute()).iterator().next().getLong(0);
  }

  static void waitUntil(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /**
   * An md5 of every row of every receipt table (in a total order), table by table. Statistics rows
   * whose count went back to zero are left out: whether one exists depends on batch boundaries.
   */
  static Map<String, String> digest(Pool pool) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String table : TABLES) {
      Row r = await(pool.query("SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "
          + table + " t" + (table.startsWith("receipt_stat_") ? " WHERE messages <> 0" : "")).execute()).iterator().next();
      out.put(table, r.getLong(0) + ":" + r.getString(1));
    }
    return out;
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

  /** The incrementally kept statistics equal counts computed directly from receipt_message. */
  static void assertStatsMatchLedger(Pool pool) {
    assertThat(lines(pool, "SELECT campaign_id, channel, status, messages FROM receipt_stat_status WHERE messages <> 0"))
        .isEqualTo(lines(pool, "SELECT campaign_id, channel, status, count(*) FROM receipt_message GROUP BY 1, 2, 3"));
    assertThat(lines(pool, "SELECT campaign_id, channel, error_code, messages FROM receipt_stat_error WHERE messages <> 0"))
        .isEqualTo(lines(pool, "SELECT campaign_id, channel, coalesce(nullif(error_code, ''), 'none'), count(*)"
            + " FROM receipt_message WHERE status IN ('failed', 'rejected') GROUP BY 1, 2, 3"));
    assertThat(lines(pool, "SELECT campaign_id, channel, (extract(epoch FROM minute) * 1000)::int8, kind, messages"
        + " FROM receipt_stat_minute WHERE messages <> 0"))
        .isEqualTo(lines(pool, "SELECT campaign_id, channel, (extract(epoch FROM m) * 1000)::int8, kind, count(*) FROM ("
            + " SELECT campaign_id, channel, date_trunc('minute', submitted_at) AS m, 'submitted' AS kind FROM receipt_message"
            + "  WHERE status <> 'rejected'"
            + " UNION ALL SELECT campaign_id, channel, date_trunc('minute', final_at), status FROM receipt_message"
            + "  WHERE status IN ('delivered', 'failed', 'rejected') AND final_at IS NOT NULL) x GROUP BY 1, 2, 3, 4"));
    Map<String, Long> expectedLatency = new HashMap<>();
    for (Row r : await(pool.query("SELECT campaign_id, channel, (extract(epoch FROM final_at) * 1000)::int8"
        + " - (extract(epoch FROM submitted_at) * 1000)::int8 FROM receipt_message"
        + " WHERE status IN ('delivered', 'failed') AND final_at IS NOT NULL").execute())) {
      expectedLatency.merge(r.getLong(0) + "|" + r.getString(1) + "|" + LatencyBuckets.bucket(r.getLong(2)) + "|", 1L,
          Long::sum);
    }
    Set<String> expected = new HashSet<>();
    expectedLatency.forEach((k, v) -> expected.add(k + v));
    assertThat(lines(pool, "SELECT campaign_id, channel, bucket, messages FROM receipt_stat_latency WHERE messages <> 0"))
        .isEqualTo(expected);
  }
}
