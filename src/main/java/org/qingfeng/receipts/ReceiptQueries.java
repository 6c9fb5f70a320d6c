package org.qingfeng.receipts;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's reads: statistics from the incrementally maintained stat tables (never a scan of
 * receipt_message), and keyset pages of a campaign's messages for the CSV export.
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

  /** Up to {@code limit} messages of a campaign with ids after {@code afterId}, in id order. */
  public Future<List<MessageRow>> messages(long campaignId, String afterId, int limit) {
    return pool.preparedQuery("SELECT message_id, channel, parts, status, error_code,"
            + " (extract(epoch FROM submitted_at) * 1000)::int8, (extract(epoch FROM final_at) * 1000)::int8,"
            + " (extract(epoch FROM done_at) * 1000)::int8 FROM receipt_message"
            + " WHERE campaign_id = $1 AND message_id > $2 ORDER BY message_id LIMIT $3")
        .execute(Tuple.of(campaignId, afterId, limit))
        .map(rows -> {
          List<MessageRow> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new MessageRow(r.getString(0), r.getString(1), r.getInteger(2), r.getString(3), r.getString(4),
                r.getLong(5), r.getLong(6), r.getLong(7)));
          }
          return out;
        });
  }
}
