package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.receipts.ReceiptTestKit.await;
import static org.qingfeng.receipts.ReceiptTestKit.count;
import static org.qingfeng.receipts.TestEvents.T0;
import static org.qingfeng.receipts.TestEvents.receipt;
import static org.qingfeng.receipts.TestEvents.submit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.db.Database;
import org.qingfeng.db.Migrations;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * The unknown sweep reads open messages from its persisted mark on (less a margin), not the whole
 * table: a message it has passed is unknown (or final) for good, a message created later with an
 * older submit time is created unknown, and an open message committed by a batch that started
 * before the sweep moved the mark is still found by the next sweep. Applied directly, own database.
 */
@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiptUnknownMarkTest {
  static final long HOUR = 3_600_000L;
  static final long UNKNOWN_AFTER = 48 * HOUR;
  static Vertx vertx;
  static Pool pool;
  static ReceiptStore store;

  @BeforeAll
  static void setUp(TestInfra infra) {
    Migrations.migrate(infra.database());
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, infra.database(), 2);
    store = new ReceiptStore(pool);
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  static BatchApplier applier(ReceiptTestKit.MutableClock clock) {
    return new BatchApplier(store, clock, UNKNOWN_AFTER);
  }

  static ReceiptSweeper sweeper(ReceiptTestKit.MutableClock clock) {
    ReceiptSinkOptions options = new ReceiptSinkOptions("unused:9092", "unused", "unused");
    options.unknownAfterMs = UNKNOWN_AFTER;
    return new ReceiptSweeper(store, applier(clock), clock, options, new ReceiptMetrics(new SimpleMeterRegistry()));
  }

  static String status(String messageId) {
    var rows = await(pool.preparedQuery("SELECT status FROM receipt_message WHERE message_id = $1")
        .execute(Tuple.of(messageId)));
    return rows.size() == 0 ? null : rows.iterator().next().getString(0);
  }

  static long markMillis() {
    return count(pool, "SELECT CASE WHEN through = '-infinity' THEN -1 ELSE (extract(epoch FROM through) * 1000)::int8 END"
        + " FROM receipt_unknown_mark");
  }

  @Test
  void sweepsFromTheMarkAndTheMarginCoversABatchThatStartedBeforeIt() {
    ReceiptTestKit.MutableClock clock = new ReceiptTestKit.MutableClock(T0 + HOUR);
    BatchApplier applier = applier(clock);
    ReceiptSweeper sweeper = sweeper(clock);
    await(applier.apply(List.of(
        submit("mk", "old-open", 7L, 1, 1, "mk-1", "submitted", 0, T0),
        submit("mk", "old-done", 7L, 1, 1, "mk-2", "submitted", 0, T0 + 1_000),
        receipt("mk", "mk-2", "old-done", 1, 1, "DELIVERED", "000", T0 + 2_000),
        submit("mk", "young", 7L, 1, 1, "mk-3", "submitted", 0, T0 + 10 * HOUR))));
    assertThat(markMillis()).isNegative(); // -infinity before any sweep: everything is read once

    clock.millis.set(T0 + UNKNOWN_AFTER + 60_000);
    ReceiptSweeper.Result first = await(sweeper.sweepOnce());
    assertThat(first.becameUnknown()).isEqualTo(1);
    assertThat(status("old-open")).isEqualTo("unknown");
    assertThat(status("old-done")).isEqualTo("delivered");
    assertThat(status("young")).isEqualTo("submitted");
    long mark = T0 + 60_000;
    assertThat(markMillis()).isEqualTo(mark);

    // A batch that read its clock before that sweep (its cutoff is older than the mark) commits an
    // open message submitted between its cutoff and the mark only now.
    ReceiptTestKit.MutableClock lateBatchClock = new ReceiptTestKit.MutableClock(T0 + UNKNOWN_AFTER + 20_000);
    await(applier(lateBatchClock).apply(List.of(
        submit("mk", "straggler", 7L, 1, 1, "mk-4", "submitted", 0, T0 + 40_000))));
    assertThat(status("straggler")).isEqualTo("submitted");
    // A message whose first submit result comes now with an old time is created unknown.
    await(applier.apply(List.of(submit("mk", "late-old", 7L, 1, 1, "mk-5", "submitted", 0, T0 + 30_000))));
    assertThat(status("late-old")).isEqualTo("unknown");

    clock.millis.set(T0 + UNKNOWN_AFTER + 120_000);
    ReceiptSweeper.Result second = await(sweeper.sweepOnce());
    assertThat(second.becameUnknown()).isEqualTo(1);
    assertThat(status("straggler")).isEqualTo("unknown");
    assertThat(status("young")).isEqualTo("submitted");
    assertThat(markMillis()).isEqualTo(T0 + 120_000);

    // The young message's turn comes with its own cutoff.
    clock.millis.set(T0 + 10 * HOUR + UNKNOWN_AFTER + 1_000);
    ReceiptSweeper.Result third = await(sweeper.sweepOnce());
    assertThat(third.becameUnknown()).isEqualTo(1);
    assertThat(status("young")).isEqualTo("unknown");
    assertThat(markMillis()).isEqualTo(T0 + 10 * HOUR + 1_000);
    ReceiptTestKit.assertStatsMatchLedger(pool);
  }
}
