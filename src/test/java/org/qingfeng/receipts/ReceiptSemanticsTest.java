package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.receipts.ReceiptTestKit.await;
import static org.qingfeng.receipts.ReceiptTestKit.count;
import static org.qingfeng.receipts.TestEvents.T0;
import static org.qingfeng.receipts.TestEvents.receipt;
import static org.qingfeng.receipts.TestEvents.submit;

import com.jsoniter.output.JsonStream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.db.Database;
import org.qingfeng.db.Migrations;
import org.qingfeng.kafka.KafkaSettings;
import org.qingfeng.kafka.Topics;
import org.qingfeng.sms.events.SmsEvent;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/** Early receipts, multipart aggregation, poison records and the sweeps, through Kafka and one sink. */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReceiptSemanticsTest {
  static Vertx vertx;
  static Pool pool;
  static TestInfra infra;
  static Topics topics;
  static ReceiptSinkVerticle sink;
  static final ReceiptTestKit.MutableClock CLOCK = new ReceiptTestKit.MutableClock(T0 + 3_600_000);

  @BeforeAll
  static void setUp(TestInfra testInfra) {
    infra = testInfra;
    Migrations.migrate(infra.database());
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, infra.database(), 4);
    topics = new Topics(infra.topicPrefix());
    ReceiptTestKit.createTopics(vertx, infra.kafkaBootstrap(), infra.topicPrefix());
    ReceiptSinkOptions options = ReceiptTestKit.options(infra.kafkaBootstrap(), infra.topicPrefix(), infra.groupId("sink"));
    options.batchSize = 300;
    options.retryBackoffMinMs = 20;
    sink = ReceiptTestKit.deploySink(vertx, pool, options, CLOCK);
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  static void produce(List<SmsEvent> events) {
    ReceiptTestKit.produce(vertx, infra.kafkaBootstrap(), topics.smsEvents, events);
  }

  static String status(String messageId) {
    var rows = await(pool.preparedQuery("SELECT status FROM receipt_message WHERE message_id = $1").execute(Tuple.of(messageId)));
    return rows.size() == 0 ? null : rows.iterator().next().getString(0);
  }

  static Row message(String messageId) {
    return await(pool.preparedQuery("SELECT status, error_code, parts_delivered, parts_failed FROM receipt_message"
        + " WHERE message_id = $1").execute(Tuple.of(messageId))).iterator().next();
  }

  @Test
  @Order(1)
  void receiptsBeforeTheirSubmitResultsAreParkedAndAllMatched() throws Exception {
    int n = 300;
    List<SmsEvent> receipts = new ArrayList<>();
    List<SmsEvent> submits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      receipts.add(receipt("sim", "e" + i, null, 0, 0, "DELIVERED", "000", T0 + 1_000 + i));
      submits.add(submit("sim", "early-" + i, 7L, 1, 1, "e" + i, "submitted", 0, T0 + i));
    }
    produce(receipts);
    ReceiptTestKit.waitUntil("receipts parked", 30_000,
        () -> count(pool, "SELECT count(*) FROM receipt_parked WHERE smsc_id LIKE 'e%'") == n);
    produce(submits);
    ReceiptTestKit.waitUntil("early receipts matched", 30_000,
        () -> count(pool, "SELECT count(*) FROM receipt_message WHERE message_id LIKE 'early-%' AND status = 'delivered'") == n);
    assertThat(count(pool, "SELECT count(*) FROM receipt_parked")).isZero();
    assertThat(count(pool, "SELECT count(*) FROM receipt_part WHERE message_id LIKE 'early-%' AND state = 'delivered'"))
        .isEqualTo(n);
    ReceiptTestKit.assertStatsMatchLedger(pool);
  }

  @Test
  @Order(2)
  void multipartMessagesAreDeliveredOnlyWhenEveryPartIsAndFailedWhenAnyPartFails() throws Exception {
    List<SmsEvent> e = new ArrayList<>();
    for (int k = 1; k <= 3; k++) {
      e.add(submit("sim", "mp-fail", 8L, k, 3, "f" + k, "submitted", 0, T0 + k));
      e.add(submit("sim", "mp-ok", 8L, k, 3, "o" + k, "submitted", 0, T0 + k));
      e.add(submit("sim", "mp-open", 8L, k, 3, "p" + k, "submitted", 0, T0 + k));
    }
    e.add(receipt("sim", "f1", "mp-fail", 1, 3, "DELIVERED", "000", T0 + 500));
    e.add(receipt("sim", "f2", "mp-fail", 2, 3, "UNDELIVERABLE", "034", T0 + 600));
    e.add(receipt("sim", "f3", "mp-fail", 3, 3, "DELIVERED", "000", T0 + 700));
    e.add(receipt("sim", "o1", "mp-ok", 1, 3, "ENROUTE", "000", T0 + 400));
    for (int k = 1; k <= 3; k++) {
      e.add(receipt("sim", "o" + k, "mp-ok", k, 3, "DELIVERED", "000", T0 + 800 + k));
    }
    e.add(receipt("sim", "o2", "mp-ok", 2, 3, "DELIVERED", "000", T0 + 802)); // a duplicate
    e.add(receipt("sim", "p1", "mp-open", 1, 3, "DELIVERED", "000", T0 + 900));
    e.add(receipt("sim", "p2", "mp-open", 2, 3, "DELIVERED", "000", T0 + 900));
    e.add(submit("sim", "mp-rej", 8L, 1, 3, null, "rejected", 0x58, T0 + 5));
    produce(e);
    ReceiptTestKit.waitUntil("multipart applied", 30_000, () -> "delivered".equals(status("mp-ok"))
        && "failed".equals(status("mp-fail")) && status("mp-open") != null && status("mp-rej") != null);
    Row failed = message("mp-fail");
    assertThat(failed.getString(1)).isEqualTo("034");
    assertThat(failed.getInteger(2)).isEqualTo(2);
    assertThat(failed.getInteger(3)).isEqualTo(1);
    assertThat(message("mp-ok").getInteger(2)).isEqualTo(3);
    assertThat(status("mp-open")).isEqualTo("submitted");
    assertThat(message("mp-rej").getString(0)).isEqualTo("rejected");
    assertThat(message("mp-rej").getString(1)).isEqualTo("0x00000058");
    ReceiptTestKit.assertStatsMatchLedger(pool);
  }

  @Test
  @Order(3)
  void poisonRecordsGoToTheDeadLetterTopicAndTheRestIsApplied() throws Exception {
    List<String[]> raw = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      SmsEvent s = submit("sim", "ok-" + i, 9L, 1, 1, "k" + i, "submitted", 0, T0 + i);
      SmsEvent r = receipt("sim", "k" + i, "ok-" + i, 1, 1, "DELIVERED", "000", T0 + 2_000 + i);
      raw.add(new String[] {s.partitionKey(), JsonStream.serialize(s)});
      raw.add(new String[] {r.partitionKey(), JsonStream.serialize(r)});
      if (i == 100) {
        raw.add(new String[] {"sim:bad", "{\"type\": \"receipt\", this is not json"});
        SmsEvent impossible = submit("sim", "bad-part", 9L, 5, 3, "zz", "submitted", 0, T0);
        raw.add(new String[] {impossible.partitionKey(), JsonStream.serialize(impossible)});
        // Valid JSON that Postgres refuses (NUL in text): found by splitting the batch.
        SmsEvent nul = receipt("sim", "nul1", null, 0, 0, "UNDELIVERABLE", "0\u00001", T0 + 3_000);
        raw.add(new String[] {nul.partitionKey(), JsonStream.serialize(nul)});
      }
    }
    ReceiptTestKit.produceRaw(vertx, infra.kafkaBootstrap(), topics.smsEvents, raw);
    ReceiptTestKit.waitUntil("valid events applied", 60_000,
        () -> count(pool, "SELECT count(*) FROM receipt_message WHERE message_id LIKE 'ok-%' AND status = 'delivered'") == 250);
    ReceiptTestKit.waitUntil("dead letters counted", 30_000, () -> sink.metrics().deadLetters() >= 3);

    KafkaConsumer<String, String> dlq = KafkaConsumer.create(vertx,
        KafkaSettings.consumer(infra.kafkaBootstrap(), infra.groupId("dlq-reader"), "dlq-reader"));
    await(dlq.subscribe(topics.dlq));
    List<JsonObject> letters = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 30_000;
    while (letters.size() < 3 && System.currentTimeMillis() < deadline) {
      KafkaConsumerRecords<String, String> got = await(dlq.poll(Duration.ofMillis(500)));
      for (int i = 0; i < got.size(); i++) {
        letters.add(new JsonObject(got.recordAt(i).value()));
      }
    }
    await(dlq.close());
    assertThat(letters).hasSize(3);
    assertThat(letters).anySatisfy(l -> assertThat(l.getString("reason")).startsWith("invalid JSON"));
    assertThat(letters).anySatisfy(l -> assertThat(l.getString("reason")).contains("impossible part 5/3"));
    assertThat(letters).anySatisfy(l -> {
      assertThat(l.getString("reason")).startsWith("cannot be applied");
      assertThat(l.getString("value")).contains("nul1");
    });
    assertThat(letters).allSatisfy(l -> assertThat(l.getString("source_topic")).isEqualTo(topics.smsEvents));
    assertThat(sink.metrics().deadLetters()).isEqualTo(3.0);
    assertThat(count(pool, "SELECT count(*) FROM receipt_event_log WHERE event_id LIKE 'sim:nul1%'")).isZero();
    ReceiptTestKit.assertStatsMatchLedger(pool);
  }

  @Test
  @Order(4)
  void sweepsMoveOldParkedReceiptsToUnmatchedAndSilentMessagesToUnknown() throws Exception {
    long receivedAt = T0 + 600_000;
    produce(List.of(receipt("sim", "lonely", null, 0, 0, "DELIVERED", "000", receivedAt),
        submit("sim", "silent", 10L, 1, 1, "s1", "submitted", 0, T0 + 1_200_000)));
    ReceiptTestKit.waitUntil("applied", 30_000, () -> count(pool, "SELECT count(*) FROM receipt_parked") == 1
        && status("silent") != null);

    CLOCK.millis.set(receivedAt + 3_600_000 - 1_000);
    ReceiptSweeper.Result early = await(sink.sweeper().sweepOnce());
    assertThat(early.movedUnmatched()).isZero();
    assertThat(early.parked()).isEqualTo(1);
    CLOCK.millis.set(receivedAt + 3_600_000 + 1_000);
    ReceiptSweeper.Result swept = await(sink.sweeper().sweepOnce());
    assertThat(swept.movedUnmatched()).isEqualTo(1);
    assertThat(sink.metrics().unmatched()).isEqualTo(1);
    assertThat(sink.metrics().parked()).isZero();
    assertThat(count(pool, "SELECT count(*) FROM receipt_unmatched WHERE smsc_id = 'lonely'")).isEqualTo(1);
    assertThat(status("silent")).isEqualTo("submitted");

    CLOCK.millis.set(T0 + 1_200_000 + 48 * 3_600_000L + 1_000);
    ReceiptSweeper.Result later = await(sink.sweeper().sweepOnce());
    assertThat(later.becameUnknown()).isGreaterThanOrEqualTo(1);
    assertThat(status("silent")).isEqualTo("unknown");
    assertThat(count(pool, "SELECT messages FROM receipt_stat_status WHERE campaign_id = 10 AND status = 'unknown'"))
        .isEqualTo(1);
    ReceiptTestKit.assertStatsMatchLedger(pool);

    // Late facts still count: the unmatched receipt meets its submit, the silent message its receipt.
    produce(List.of(submit("sim", "lonely-msg", 10L, 1, 1, "lonely", "submitted", 0, T0 + 500_000),
        receipt("sim", "s1", "silent", 1, 1, "EXPIRED", "006", CLOCK.millis())));
    ReceiptTestKit.waitUntil("late facts applied", 30_000,
        () -> "delivered".equals(status("lonely-msg")) && "failed".equals(status("silent")));
    assertThat(count(pool, "SELECT count(*) FROM receipt_unmatched")).isZero();
    assertThat(await(sink.sweeper().sweepOnce()).unmatched()).isZero();
    assertThat(count(pool, "SELECT messages FROM receipt_stat_status WHERE campaign_id = 10 AND status = 'unknown'"))
        .isZero();
    ReceiptTestKit.assertStatsMatchLedger(pool);
  }
}
