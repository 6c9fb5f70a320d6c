package org.qingfeng.receipts;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The SQL that adds a batch's statistics delta ({@link StatsDelta}) to the per-campaign statistics
 * tables, in the batch's transaction (the rest of the batch's SQL is in {@link ReceiptStore}).
 */
final class ReceiptStatsStore {
  private ReceiptStatsStore() {
  }

  // Key orders of their own rather than Comparator.comparing chains, whose shared lambda bodies
  // sent the sink's compiled code back to the JIT (see ReceiptStore.BY_PART). Same orders.
  private static final Comparator<StatsDelta.StatusKey> BY_STATUS = (a, b) -> {
    int c = Long.compare(a.campaignId(), b.campaignId());
    c = c != 0 ? c : a.channel().compareTo(b.channel());
    return c != 0 ? c : a.status().compareTo(b.status());
  };
  private static final Comparator<StatsDelta.MinuteKey> BY_MINUTE = (a, b) -> {
    int c = Long.compare(a.campaignId(), b.campaignId());
    c = c != 0 ? c : a.channel().compareTo(b.channel());
    c = c != 0 ? c : Long.compare(a.minute(), b.minute());
    return c != 0 ? c : a.kind().compareTo(b.kind());
  };
  private static final Comparator<StatsDelta.ErrorKey> BY_ERROR = (a, b) -> {
    int c = Long.compare(a.campaignId(), b.campaignId());
    c = c != 0 ? c : a.channel().compareTo(b.channel());
    return c != 0 ? c : a.code().compareTo(b.code());
  };
  private static final Comparator<StatsDelta.LatencyKey> BY_LATENCY = (a, b) -> {
    int c = Long.compare(a.campaignId(), b.campaignId());
    c = c != 0 ? c : a.channel().compareTo(b.channel());
    return c != 0 ? c : Integer.compare(a.bucket(), b.bucket());
  };

  /** Adds a batch's statistics delta (keys sorted, tables in a fixed order, so concurrent sinks cannot deadlock). */
  static Future<Void> add(SqlClient c, StatsDelta d) {
    d.prune();
    List<Map.Entry<StatsDelta.StatusKey, Long>> st = sorted(d.status, BY_STATUS);
    List<Map.Entry<StatsDelta.MinuteKey, Long>> mi = sorted(d.minute, BY_MINUTE);
    List<Map.Entry<StatsDelta.ErrorKey, Long>> er = sorted(d.error, BY_ERROR);
    List<Map.Entry<StatsDelta.LatencyKey, Long>> la = sorted(d.latency, BY_LATENCY);
    String add = " ON CONFLICT (%s) DO UPDATE SET messages = s.messages + EXCLUDED.messages";
    // Pipelined, in a fixed table order.
    return Future.all(List.of(
        addStats(c, st, "INSERT INTO receipt_stat_status AS s (campaign_id, channel, status, messages)"
                + " SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::int8[])"
                + String.format(add, "campaign_id, channel, status"),
            k -> k.campaignId(), k -> k.channel(), k -> k.status(), new String[st.size()]),
        addStats(c, mi, "INSERT INTO receipt_stat_minute AS s (campaign_id, channel, minute, kind, messages)"
                + " SELECT c, ch, " + ReceiptStore.ts("m") + ", k, n FROM unnest($1::int8[], $2::text[], $5::int8[], $3::text[], $4::int8[])"
                + " AS u(c, ch, m, k, n)" + String.format(add, "campaign_id, channel, minute, kind"),
            k -> k.campaignId(), k -> k.channel(), k -> k.kind(), new String[mi.size()], k -> k.minute()),
        addStats(c, er, "INSERT INTO receipt_stat_error AS s (campaign_id, channel, error_code, messages)"
                + " SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::int8[])"
                + String.format(add, "campaign_id, channel, error_code"),
            k -> k.campaignId(), k -> k.channel(), k -> k.code(), new String[er.size()]),
        addStats(c, la, "INSERT INTO receipt_stat_latency AS s (campaign_id, channel, bucket, messages)"
                + " SELECT * FROM unnest($1::int8[], $2::text[], $3::int4[], $4::int8[])"
                + String.format(add, "campaign_id, channel, bucket"),
            k -> k.campaignId(), k -> k.channel(), k -> k.bucket(), new Integer[la.size()]))).mapEmpty();
  }

  private static <K> List<Map.Entry<K, Long>> sorted(Map<K, Long> m, Comparator<K> order) {
    List<Map.Entry<K, Long>> out = new ArrayList<>(m.entrySet());
    out.sort(Map.Entry.comparingByKey(order));
    return out;
  }

  @SafeVarargs
  private static <K> Future<Void> addStats(SqlClient c, List<Map.Entry<K, Long>> rows, String sql,
      Function<K, Object> campaign, Function<K, Object> channel, Function<K, Object> third, Object[] thirdArray,
      Function<K, Object>... minute) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = rows.size();
    Tuple t = Tuple.tuple()
        .addValue(col(rows, e -> campaign.apply(e.getKey()), new Long[n]))
        .addValue(col(rows, e -> channel.apply(e.getKey()), new String[n]))
        .addValue(col(rows, e -> third.apply(e.getKey()), thirdArray))
        .addValue(col(rows, Map.Entry::getValue, new Long[n]));
    if (minute.length > 0) {
      t.addValue(col(rows, e -> minute[0].apply(e.getKey()), new Long[n]));
    }
    return c.preparedQuery(sql).execute(t).mapEmpty();
  }

  private static <T> Object[] col(List<T> rows, Function<T, Object> f, Object[] into) {
    for (int i = 0; i < rows.size(); i++) {
      into[i] = f.apply(rows.get(i));
    }
    return into;
  }
}
