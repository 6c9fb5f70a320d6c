package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.receipts.ReceiptTestKit.await;
import static org.qingfeng.receipts.TestEvents.T0;
import static org.qingfeng.receipts.TestEvents.receipt;
import static org.qingfeng.receipts.TestEvents.submit;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.db.Database;
import org.qingfeng.db.Migrations;
import org.qingfeng.sms.events.SmsEvent;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * A part whose submit result comes again in a later batch: a higher-ranked one (submitted over
 * outcome_unknown) replaces the part's submit columns, a lower-ranked one changes nothing, and the
 * receipt columns and the message's status and statistics follow. Applied batch by batch, directly.
 */
@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiptResubmitTest {
  static Vertx vertx;
  static Pool pool;
  static BatchApplier applier;

  @BeforeAll
  static void setUp(TestInfra infra) {
    Migrations.migrate(infra.database());
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, infra.database(), 2);
    applier = new BatchApplier(new ReceiptStore(pool),
        Clock.fixed(Instant.ofEpochMilli(T0 + 3_600_000), ZoneOffset.UTC), 48 * 3_600_000L);
  }

  @AfterAll
  static void tearDown() {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  static Row part(String messageId) {
    return await(pool.preparedQuery("SELECT submit_status, smsc_id, state, submit_event_id FROM receipt_part"
        + " WHERE message_id = $1 AND part_index = 1").execute(Tuple.of(messageId))).iterator().next();
  }

  static String status(String messageId) {
    return await(pool.preparedQuery("SELECT status FROM receipt_message WHERE message_id = $1")
        .execute(Tuple.of(messageId))).iterator().next().getString(0);
  }

  static void apply(SmsEvent... events) {
    await(applier.apply(List.of(events)));
  }

  @Test
  void aHigherRankedSubmitResultReplacesTheSubmitColumnsAndALowerOneDoesNot() {
    String id = "resubmit-1";
    apply(submit("sim", id, 9L, 1, 1, null, SmsEvent.STATUS_OUTCOME_UNKNOWN, 0, T0));
    assertThat(part(id).getString(0)).isEqualTo(SmsEvent.STATUS_OUTCOME_UNKNOWN);
    assertThat(part(id).getString(1)).isNull();

    apply(submit("sim", id, 9L, 1, 1, "rs1", SmsEvent.STATUS_SUBMITTED, 0, T0 + 10));
    assertThat(part(id).getString(0)).isEqualTo(SmsEvent.STATUS_SUBMITTED);
    assertThat(part(id).getString(1)).isEqualTo("rs1");
    assertThat(status(id)).isEqualTo(MessageState.SUBMITTED);

    apply(receipt("sim", "rs1", id, 1, 1, "DELIVERED", "000", T0 + 500));
    assertThat(part(id).getString(2)).isEqualTo("delivered");
    assertThat(status(id)).isEqualTo(MessageState.DELIVERED);

    SmsEvent late = submit("sim", id, 9L, 1, 1, null, SmsEvent.STATUS_OUTCOME_UNKNOWN, 0, T0 + 20);
    late.eventId = late.eventId + ":again";
    apply(late);
    Row after = part(id);
    assertThat(after.getString(0)).isEqualTo(SmsEvent.STATUS_SUBMITTED);
    assertThat(after.getString(1)).isEqualTo("rs1");
    assertThat(after.getString(2)).isEqualTo("delivered");
    assertThat(after.getString(3)).isEqualTo("sim:rs1:submit_result:submitted");
    assertThat(status(id)).isEqualTo(MessageState.DELIVERED);
    ReceiptTestKit.assertStatsMatchLedger(pool);
  }

  /**
   * The part exists before the batch that brings its SMSC id and receipt, so it is not created
   * with the receipt: the receipt must still reach it (through match), and the one that ranks
   * below it must not replace it.
   */
  @Test
  void aReceiptInTheBatchThatResubmitsAnExistingPartReachesThePart() {
    String id = "resubmit-2";
    apply(submit("sim", id, 9L, 1, 1, null, SmsEvent.STATUS_OUTCOME_UNKNOWN, 0, T0));
    assertThat(status(id)).isEqualTo(MessageState.SUBMITTED);

    String created = "resubmit-3"; // a part the same batch creates with its receipt
    apply(submit("sim", id, 9L, 1, 1, "rs2", SmsEvent.STATUS_SUBMITTED, 0, T0 + 10),
        receipt("sim", "rs2", id, 1, 1, "ENROUTE", "000", T0 + 700),
        receipt("sim", "rs2", null, 1, 1, "UNDELIVERABLE", "005", T0 + 600),
        submit("sim", created, 9L, 1, 1, "rs3", SmsEvent.STATUS_SUBMITTED, 0, T0 + 10),
        receipt("sim", "rs3", created, 1, 1, "DELIVERED", "000", T0 + 600));
    assertThat(part(created).getString(2)).isEqualTo("delivered");
    assertThat(status(created)).isEqualTo(MessageState.DELIVERED);
    Row after = part(id);
    assertThat(after.getString(0)).isEqualTo(SmsEvent.STATUS_SUBMITTED);
    assertThat(after.getString(1)).isEqualTo("rs2");
    assertThat(after.getString(2)).isEqualTo("undeliverable");
    assertThat(status(id)).isEqualTo(MessageState.FAILED);
    ReceiptTestKit.assertStatsMatchLedger(pool);
  }
}
