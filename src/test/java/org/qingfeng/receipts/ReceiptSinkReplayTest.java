package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.receipts.ReceiptTestKit.await;
import static org.qingfeng.receipts.ReceiptTestKit.count;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.db.Database;
import org.qingfeng.db.Migrations;
import org.qingfeng.kafka.Topics;
import org.qingfeng.sms.events.SmsEvent;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/** 50,000 events through Kafka and the sink, then the same 50,000 again: the database does not change. */
@QingfengTest
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReceiptSinkReplayTest {
  static final int EVENTS = Integer.getInteger("receipts.events", 50_000);
  static Vertx vertx;
  static Pool pool;
  static TestInfra infra;

  @BeforeAll
  static void setUp(TestInfra testInfra) {
    infra = testInfra;
    Migrations.migrate(infra.database());
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, infra.database(), 4);
    ReceiptTestKit.createTopics(vertx, infra.kafkaBootstrap(), infra.topicPrefix());
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void replayingFiftyThousandEventsLeavesTheDatabaseIdentical() throws Exception {
    ReceiptSinkVerticle sink = ReceiptTestKit.deploySink(vertx, pool,
        ReceiptTestKit.options(infra.kafkaBootstrap(), infra.topicPrefix(), infra.groupId("sink")),
        new ReceiptTestKit.MutableClock(TestEvents.T0 + 3_600_000));
    String topic = new Topics(infra.topicPrefix()).smsEvents;
    List<SmsEvent> events = TestEvents.mixed(EVENTS);

    long t0 = System.nanoTime();
    ReceiptTestKit.produce(vertx, infra.kafkaBootstrap(), topic, events);
    ReceiptTestKit.waitUntil("first pass applied", 90_000, () -> sink.metrics().applied() >= EVENTS);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("receipt sink: %d events produced and applied in %.2f s (%.0f events/s)%n", EVENTS, seconds,
        EVENTS / seconds);
    Map<String, String> first = ReceiptTestKit.digest(pool);
    assertThat(count(pool, "SELECT count(*) FROM receipt_event_log")).isEqualTo(EVENTS);
    assertThat(count(pool, "SELECT count(*) FROM receipt_parked")).isZero();
    for (String status : MessageState.STATUSES) {
      if (!status.equals(MessageState.UNKNOWN)) {
        assertThat(count(pool, "SELECT count(*) FROM receipt_message WHERE status = '" + status + "'"))
            .as(status).isPositive();
      }
    }
    ReceiptTestKit.assertStatsMatchLedger(pool);

    ReceiptTestKit.produce(vertx, infra.kafkaBootstrap(), topic, events);
    ReceiptTestKit.waitUntil("replay consumed", 90_000, () -> sink.metrics().duplicates() >= EVENTS);
    assertThat(sink.metrics().applied()).isEqualTo(EVENTS);
    assertThat(ReceiptTestKit.digest(pool)).isEqualTo(first);
    ReceiptTestKit.assertStatsMatchLedger(pool);
  }
}
