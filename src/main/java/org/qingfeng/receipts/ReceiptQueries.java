package org.qingfeng.receipts;

import io.vertx.core.Future;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's reads: statistics from the incrementally maintained stat tables (never a scan of
 * receipt_message), and a cursor over a campaign's messages for the CSV export.
 */
public final class ReceiptQueries {
  /** One counter row: channel, a key (status, error code, latency bucket, or minute|kind), messages. */
  public record Count(String channel, String key, long messages) {
  }

  /** The raw statistics of one campaign (campaignId set) or of all messages by channel. */
  public record Stats(List<Count> status, List<Count> errors, List<Count> latency, List<Count> series) {
  }

  /** One row of the CSV export. Times are epoch millis or null. */
  public record MessageRow(String messageId, String channel, int parts, String status, String errorCode,
                           Long submittedAt, Long finalAt, Long doneAt) {
  }

  private static final String SCOPE = " WHERE ($1::int8 IS NULL OR campaign_id = $1)";
  private final Pool pool;

  public ReceiptQueries(Pool pool) {
    this.pool = pool;
  }

  /**
   * @param campaignId a campaign, or null for every message (the per-channel view)
   * @param seriesMinutes how many minutes of the per-minute series, counted back from the latest one (0: none)
   */
  public Future<Stats> stats(Long campaignId, int seriesMinutes) {
    Tuple scope = Tuple.tuple().addValue(campaignId);
    Future<List<Count>> status = counts("SELECT channel, status, sum(messages)::int8 FROM receipt_stat_status" + SCOPE
        + " GROUP BY channel, status HAVING sum(messages) <> 0", scope);
    Future<List<Count>> errors = counts("SELECT channel, error_code, sum(messages)::int8 FROM receipt_stat_error" + SCOPE
        + " GROUP BY channel, error_code HAVING sum(messages) <> 0", scope);
    Future<List<Count>> latency = counts("SELECT channel, bucket::text, sum(messages)::int8 FROM receipt_stat_latency" + SCOPE
        + " GROUP BY channel, bucket HAVING sum(messages) <> 0", scope);
    Future<List<Count>> series = seriesMinutes <= 0 || campaignId == null ? Future.succeededFuture(List.of())
        : counts("SELECT '', (extract(epoch FROM minute) * 1000)::int8 || '|' || kind, sum(messages)::int8"
            + " FROM receipt_stat_minute WHERE campaign_id = $1 AND minute > (SELECT max(minute) FROM receipt_stat_minute"
            + " WHERE campaign_id = $1) - make_interval(mins => $2) GROUP BY minute, kind HAVING sum(messages) <> 0"
            + " ORDER BY minute, kind", Tuple.of(campaignId, seriesMinutes));
    return Future.all(status, errors, latency, series)
        .map(v -> new Stats(status.result(), errors.result(), latency.result(), series.result()));
  }

  private Future<List<Count>> counts(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(rows -> {
      List<Count> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Count(r.getString(0), r.getString(1), r.getLong(2)));
      }
      return out;
    });
  }

  private static final String CAMPAIGN_MESSAGES = "SELECT message_id, channel, parts, status, error_code,"
      + " (extract(epoch FROM submitted_at) * 1000)::int8, (extract(epoch FROM final_at) * 1000)::int8,"
      + " (extract(epoch FROM done_at) * 1000)::int8 FROM receipt_message WHERE campaign_id = $1 ORDER BY message_id";

  /**
   * A campaign's messages in id order, through a cursor: one query, hence one snapshot, for the
   * whole export. receipt_message has no B-tree by campaign (V8_5: one would cost every message's
   * insert and make its updates non-HOT), so keyset pages would each read the campaign's block
   * ranges again; the cursor reads them once and sorts once. It holds a connection of the pool in a
   * read-only transaction until {@link MessageCursor#close()}.
   */
  public Future<MessageCursor> openMessages(long campaignId) {
    return pool.getConnection().compose(conn -> conn.begin()
        .compose(tx -> conn.query("SET TRANSACTION READ ONLY").execute()
            .compose(v -> conn.prepare(CAMPAIGN_MESSAGES))
            .map(ps -> new MessageCursor(conn, tx, ps, ps.cursor(Tuple.of(campaignId))))
            .recover(e -> tx.rollback().transform(x -> Future.<MessageCursor>failedFuture(e))))
        .recover(e -> conn.close().transform(x -> Future.<MessageCursor>failedFuture(e))));
  }

  /** Reads a campaign's messages page by page; must be closed (it gives the connection back). */
  public static final class MessageCursor {
    private final SqlConnection conn;
    private final Transaction tx;
    private final PreparedStatement statement;
    private final Cursor cursor;
    private boolean exhausted;
    private Future<Void> closed;

    private MessageCursor(SqlConnection conn, Transaction tx, PreparedStatement statement, Cursor cursor) {
      this.conn = conn;
      this.tx = tx;
      this.statement = statement;
      this.cursor = cursor;
    }

    /** The next up to {@code limit} messages; fewer (none at the end) once the campaign's are all read. */
    public Future<List<MessageRow>> read(int limit) {
      if (exhausted) {
        return Future.succeededFuture(List.of());
      }
      return cursor.read(limit).map(rows -> {
        List<MessageRow> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
          out.add(new MessageRow(r.getString(0), r.getString(1), r.getInteger(2), r.getString(3), r.getString(4),
              r.getLong(5), r.getLong(6), r.getLong(7)));
        }
        exhausted = out.size() < limit || !cursor.hasMore();
        return out;
      });
    }

    /** Ends the read-only transaction and gives the connection back (once; later calls return the same future). */
    public Future<Void> close() {
      if (closed == null) {
        closed = cursor.close().transform(ar -> statement.close()).transform(ar -> tx.rollback())
            .transform(ar -> conn.close());
      }
      return closed;
    }
  }
}
