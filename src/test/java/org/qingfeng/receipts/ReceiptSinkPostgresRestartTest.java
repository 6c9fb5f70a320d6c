package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.receipts.ReceiptTestKit.await;
import static org.qingfeng.receipts.ReceiptTestKit.count;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.qingfeng.app.EmbeddedPostgresService;
import org.qingfeng.app.PostgresUrl;
import org.qingfeng.db.Database;
import org.qingfeng.db.Migrations;
import org.qingfeng.kafka.Topics;
import org.qingfeng.sms.events.SmsEvent;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * Postgres stops and starts while the sink is applying: afterwards every event is applied exactly
 * once. It gets a Postgres of its own so stopping it disturbs no other test.
 */
@QingfengTest
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReceiptSinkPostgresRestartTest {
  @TempDir Path tmp;

  @Test
  void everyEventIsAppliedOnceAcrossAPostgresRestart(TestInfra infra) throws Exception {
    EmbeddedPostgresService pg = new EmbeddedPostgresService(tmp, 0, false).start();
    PostgresUrl url = pg.url();
    Migrations.migrate(url);
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, url, 4);
      ReceiptTestKit.createTopics(vertx, infra.kafkaBootstrap(), infra.topicPrefix());
      ReceiptSinkOptions options = ReceiptTestKit.options(infra.kafkaBootstrap(), infra.topicPrefix(), infra.groupId("sink"));
      options.batchSize = 500;
      options.retryBackoffMaxMs = 500;
      ReceiptSinkVerticle sink = ReceiptTestKit.deploySink(vertx, pool, options,
          new ReceiptTestKit.MutableClock(TestEvents.T0 + 3_600_000));
      String topic = new Topics(infra.topicPrefix()).smsEvents;
      List<SmsEvent> events = TestEvents.mixed(12_000);
      List<SmsEvent> first = events.subList(0, 6_000);
      List<SmsEvent> second = events.subList(6_000, events.size());

      ReceiptTestKit.produce(vertx, infra.kafkaBootstrap(), topic, first);
      ReceiptTestKit.waitUntil("some events applied", 60_000, () -> sink.metrics().applied() > 0);
      pg.stop();
      ReceiptTestKit.produce(vertx, infra.kafkaBootstrap(), topic, second);
      Thread.sleep(3_000); // the sink retries against a dead database meanwhile
      double appliedWhileDown = sink.metrics().applied();
      pg.start();

      ReceiptTestKit.waitUntil("every event applied", 90_000, () -> sink.metrics().applied() >= events.size());
      assertThat(appliedWhileDown).isLessThan(events.size());
      assertThat(count(pool, "SELECT count(*) FROM receipt_event_log")).isEqualTo(events.size());
      assertThat(sink.metrics().applied()).isEqualTo(events.size());
      assertThat(sink.metrics().deadLetters()).isZero();
      // None twice: the same events applied into a fresh database give the same state.
      Map<String, String> afterRestart = ReceiptTestKit.digest(pool);
      assertThat(count(pool, "SELECT sum(messages) FROM receipt_stat_status"))
          .isEqualTo(count(pool, "SELECT count(*) FROM receipt_message"));
      ReceiptTestKit.assertStatsMatchLedger(pool);
      await(pool.query("TRUNCATE " + String.join(", ", ReceiptTestKit.TABLES)).execute());
      BatchApplier direct = new BatchApplier(new ReceiptStore(pool), new ReceiptTestKit.MutableClock(TestEvents.T0 + 3_600_000),
          options.unknownAfterMs);
      for (int i = 0; i < events.size(); i += 2_000) {
        await(direct.apply(events.subList(i, Math.min(events.size(), i + 2_000))));
      }
      assertThat(ReceiptTestKit.digest(pool)).isEqualTo(afterRestart);
    } finally {
      await(vertx.close());
      pg.stop();
    }
  }
}
