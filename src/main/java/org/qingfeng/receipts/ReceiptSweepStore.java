package org.qingfeng.receipts;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of the receipt sweeps ({@link ReceiptSweeper}): which messages they recompute, the
 * unknown sweep's mark, and the parked and unmatched receipts. The batches' SQL is in
 * {@link ReceiptStore}.
 */
final class ReceiptSweepStore {
  private final Pool pool;

  ReceiptSweepStore(Pool pool) {
    this.pool = pool;
  }


  /** Messages with a parked or unmatched receipt whose part is now known. */
  Future<List<String>> matchable(int limit) {
    String q = "SELECT t.message_id FROM %s x JOIN receipt_part t ON t.channel = x.channel AND t.smsc_id = x.smsc_id";
    return ids(pool.preparedQuery("SELECT DISTINCT message_id FROM (" + String.format(q, "receipt_parked")
        + " UNION ALL " + String.format(q, "receipt_unmatched") + ") m LIMIT $1").execute(Tuple.of(limit)));
  }

  /**
   * A sweep's look back below its mark: longer than any batch transaction lasts. A batch works
   * with the cutoff of its own start, so an open message it commits after a sweep moved the mark
   * is submitted at most that long before the mark.
   */
  static final long UNKNOWN_MARK_MARGIN_MS = 5 * 60_000L;

  /**
   * Open messages submitted before the cutoff, from the unknown sweep's mark (less its margin) on:
   * due to become unknown. Reads {@code receipt_message_submitted_brin}'s block ranges from there; the messages
   * below were all looked at by earlier sweeps.
   */
  Future<List<String>> dueUnknown(long cutoffMs, int limit) {
    return ids(pool.preparedQuery("SELECT message_id FROM receipt_message WHERE submitted_at >= (SELECT through"
        + " FROM receipt_unknown_mark WHERE id = 1) - $3::int8 * interval '1 millisecond' AND submitted_at < "
        + ReceiptStore.ts("$1::int8") + " AND status = 'submitted' ORDER BY submitted_at LIMIT $2")
        .execute(Tuple.of(cutoffMs, limit, UNKNOWN_MARK_MARGIN_MS)));
  }

  /** Records that every message open and submitted before the cutoff has been made unknown. */
  Future<Void> advanceUnknownMark(long cutoffMs) {
    return pool.preparedQuery("UPDATE receipt_unknown_mark SET through = greatest(through, " + ReceiptStore.ts("$1::int8")
        + ") WHERE id = 1").execute(Tuple.of(cutoffMs)).mapEmpty();
  }

  /** Moves receipts parked since before the cutoff to receipt_unmatched; completes with how many. */
  Future<Integer> moveUnmatched(long cutoffMs, long nowMs) {
    return pool.preparedQuery("WITH moved AS (DELETE FROM receipt_parked WHERE receipt_at < " + ReceiptStore.ts("$1::int8")
            + " RETURNING *) INSERT INTO receipt_unmatched (event_id, channel, smsc_id, message_id, state, stat_word,"
            + " error_code, done_at, receipt_at, moved_at) SELECT event_id, channel, smsc_id, message_id, state,"
            + " stat_word, error_code, done_at, receipt_at, " + ReceiptStore.ts("$2::int8") + " FROM moved")
        .execute(Tuple.of(cutoffMs, nowMs)).map(rows -> rows.rowCount());
  }

  /** Parked and unmatched receipts right now. */
  Future<long[]> backlog() {
    return pool.query("SELECT (SELECT count(*) FROM receipt_parked), (SELECT count(*) FROM receipt_unmatched)").execute()
        .map(rows -> {
          Row r = rows.iterator().next();
          return new long[] {r.getLong(0), r.getLong(1)};
        });
  }

  private static Future<List<String>> ids(Future<RowSet<Row>> rows) {
    return rows.map(rs -> {
      List<String> out = new ArrayList<>();
      rs.forEach(r -> out.add(r.getString(0)));
      return out;
    });
  }
}
