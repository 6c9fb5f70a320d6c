package org.qingfeng.receipts;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.qingfeng.sms.events.SmsEvent;

/**
 * The SQL of the receipt sink's batches (their statistics' is in {@link ReceiptStatsStore}, the sweeps' in
 * {@link ReceiptSweepStore}, the API's reads in {@link ReceiptQueries}).
 * Bulk statements bind Java arrays to {@code unnest(...)}; times travel as epoch millis.
 * Every statement that takes row locks sees its input sorted, so two sinks lock in one order.
 */
public final class ReceiptStore {
  // float8 division: to_timestamp takes a float8 anyway, and the quotient of an int8 below 2^53
  // and 1000 correctly rounded is the float8 that numeric division then casts to (the same
  // timestamp, checked over 2.5 million values), at a third of the cost; a batch does ~12,000.
  private static final String TS = "to_timestamp(%s / 1000.0::float8)";
  private static final String MS = "(extract(epoch FROM %s) * 1000)::int8";
  static final String FAILED_STATES = "('undeliverable','expired','rejected','deleted','unknown')";
  /** Advisory-lock class of receipt messages (pg_advisory_xact_lock(class, hashtext(message_id))). */
  static final int LOCK_CLASS = 5;

  private final Pool pool;

  public ReceiptStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  static String ts(String col) {
    return String.format(TS, col);
  }

  private static String ms(String col) {
    return String.format(MS, col);
  }

  /**
   * Submit results by message id, then part. A comparator of its own rather than a chain of
   * Comparator.comparing: those lambdas' bodies are shared by every such comparator in the JVM,
   * and their key extractors, seen from there, sent the sink's compiled code back to the JIT again
   * and again (deoptimizations recorded by JFR during sink.sh).
   */
  static final Comparator<SmsEvent> BY_PART = (a, b) -> {
    int c = a.messageId.compareTo(b.messageId);
    return c != 0 ? c : Integer.compare(a.partIndex, b.partIndex);
  };

  /** The event log's primary key: violated by a plain insert of an event applied before. */
  static final String EVENT_LOG_KEY = "receipt_event_log_pkey";

  /** Appends events to the log; completes with the ids that were new (the rest were applied before). */
  Future<Set<String>> logEvents(SqlClient c, List<SmsEvent> events) {
    return logEvents(c, events, true);
  }

  /**
   * Appends events none of which should be in the log yet, with a plain insert (cheaper than
   * ON CONFLICT, and nothing comes back); fails with a unique violation of {@link #EVENT_LOG_KEY}
   * if one is, which aborts the transaction.
   */
  Future<Void> logNewEvents(SqlClient c, List<SmsEvent> events) {
    return logEvents(c, events, false).mapEmpty();
  }

  private Future<Set<String>> logEvents(SqlClient c, List<SmsEvent> events, boolean mayRepeat) {
    int n = events.size();
    String[] id = new String[n];
    String[] type = new String[n];
    String[] channel = new String[n];
    String[] message = new String[n];
    Long[] campaign = new Long[n];
    Integer[] part = new Integer[n];
    Integer[] parts = new Integer[n];
    String[] smsc = new String[n];
    String[] status = new String[n];
    Integer[] command = new Integer[n];
    String[] stat = new String[n];
    String[] error = new String[n];
    Long[] submitted = new Long[n];
    Long[] done = new Long[n];
    Long[] received = new Long[n];
    for (int i = 0; i < n; i++) {
      SmsEvent e = events.get(i);
      id[i] = e.eventId;
      type[i] = e.type;
      channel[i] = e.channel;
      message[i] = e.messageId;
      campaign[i] = e.campaignId;
      part[i] = e.messageId == null ? null : e.partIndex;
      parts[i] = e.messageId == null ? null : e.partTotal;
      smsc[i] = e.smscId;
      status[i] = e.status;
      command[i] = e.commandStatus;
      stat[i] = e.statWord;
      error[i] = e.errorCode;
      submitted[i] = e.submittedAt;
      done[i] = e.doneAt;
      received[i] = e.receivedAt;
    }
    Tuple t = Tuple.tuple().addValue(id).addValue(type).addValue(channel).addValue(message).addValue(campaign)
        .addValue(part).addValue(parts).addValue(smsc).addValue(status).addValue(command).addValue(stat)
        .addValue(error).addValue(submitted).addValue(done).addValue(received);
    String sql = "INSERT INTO receipt_event_log (event_id, type, channel, message_id, campaign_id, part_index, part_total,"
        + " smsc_id, status, command_status, stat_word, error_code, submitted_at, done_at, received_at)"
        + " SELECT e, t, ch, m, cid, pi, pt, s, st, cs, sw, ec, " + ts("sa") + ", " + ts("da") + ", " + ts("ra")
        + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::int4[], $7::int4[], $8::text[],"
        + " $9::text[], $10::int4[], $11::text[], $12::text[], $13::int8[], $14::int8[], $15::int8[])"
        + " AS u(e, t, ch, m, cid, pi, pt, s, st, cs, sw, ec, sa, da, ra)"
        + (mayRepeat ? " ON CONFLICT (event_id) DO NOTHING RETURNING event_id" : "");
    return c.preparedQuery(sql).execute(t).map(rows -> {
      Set<String> fresh = new HashSet<>();
      rows.forEach(r -> fresh.add(r.getString(0)));
      return fresh;
    });
  }

  /** Parts already submitted under some (channel, SMSC id) pairs: their messages, and which of the pairs they have. */
  record KnownParts(Set<String> messageIds, Set<String> smscKeys) {
    static final KnownParts NONE = new KnownParts(Set.of(), Set.of());
  }

  /** The parts already submitted under these receipts' (channel, SMSC id) pairs. */
  Future<KnownParts> partsOf(SqlClient c, List<SmsEvent> receipts) {
    int n = receipts.size();
    String[] channel = new String[n];
    String[] smsc = new String[n];
    for (int i = 0; i < n; i++) {
      channel[i] = receipts.get(i).channel;
      smsc[i] = receipts.get(i).smscId;
    }
    return c.preparedQuery("SELECT DISTINCT t.message_id, t.channel, t.smsc_id FROM unnest($1::text[], $2::text[])"
            + " AS r(channel, smsc_id) JOIN receipt_part t ON t.channel = r.channel AND t.smsc_id = r.smsc_id")
        .execute(Tuple.tuple().addValue(channel).addValue(smsc))
        .map(rows -> {
          Set<String> ids = new HashSet<>();
          Set<String> keys = new HashSet<>();
          rows.forEach(r -> {
            ids.add(r.getString(0));
            keys.add(BatchApplier.smscKey(r.getString(1), r.getString(2)));
          });
          return new KnownParts(ids, keys);
        });
  }

  /** Serialises sinks and sweeps on these messages until the transaction ends (in one global order). */
  Future<Void> lock(SqlClient c, String[] messageIds) {
    return c.preparedQuery("SELECT count(pg_advisory_xact_lock(" + LOCK_CLASS + ", h)) FROM"
            + " (SELECT DISTINCT hashtext(m) AS h FROM unnest($1::text[]) m ORDER BY 1) s")
        .execute(Tuple.of((Object) messageIds)).mapEmpty();
  }

  static MessageState state(Row r) {
    return new MessageState(r.getString(0), r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
        r.getLong(5), r.getLong(6));
  }

  /**
   * Creates or updates parts from submit results (one per part, see {@link BatchApplier#bestSubmits}).
   * A part created here is created with its receipt already set when {@code receiptOf} names the
   * batch's best receipt for it (see {@link BatchApplier#bestReceipts}), so that {@link #match},
   * which still sees that receipt, finds nothing better to write: one row version instead of an
   * insert followed by an update of the same row (a second heap tuple and, the page being full,
   * new entries in both of its indexes). A part that exists already keeps its receipt columns
   * here; {@link #match} sets them as before. Completes with the {@link #partKey}s of the parts
   * created with a receipt.
   *
   * <p>Each part is looked up once by its key (one index probe, OFFSET 0 so that no plan hashes
   * the whole table); new parts go in with a plain INSERT, existing ones are updated in place when
   * the new submit result ranks higher — what ON CONFLICT DO UPDATE did, without its speculative
   * insertion (a second probe, and a confirmation WAL record per row). No other transaction can
   * insert one of these parts meanwhile: every writer holds the locks of the parts' messages.
   */
  Future<Set<String>> upsertParts(SqlClient c, List<SmsEvent> submits, Function<SmsEvent, SmsEvent> receiptOf) {
    if (submits.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    List<SmsEvent> rows = new ArrayList<>(submits);
    rows.sort(BY_PART);
    int n = rows.size();
    String[] message = new String[n];
    Integer[] part = new Integer[n];
    Integer[] parts = new Integer[n];
    String[] channel = new String[n];
    String[] smsc = new String[n];
    String[] status = new String[n];
    Integer[] command = new Integer[n];
    Long[] submitted = new Long[n];
    Long[] received = new Long[n];
    String[] id = new String[n];
    String[] receiptState = new String[n];
    String[] receiptStat = new String[n];
    String[] receiptError = new String[n];
    Long[] receiptDone = new Long[n];
    Long[] receiptReceived = new Long[n];
    String[] receiptId = new String[n];
    for (int i = 0; i < n; i++) {
      SmsEvent e = rows.get(i);
      message[i] = e.messageId;
      part[i] = e.partIndex;
      parts[i] = e.partTotal;
      channel[i] = e.channel;
      smsc[i] = e.smscId;
      status[i] = e.status;
      command[i] = e.commandStatus;
      submitted[i] = e.submittedAt;
      received[i] = e.receivedAt;
      id[i] = e.eventId;
      SmsEvent r = receiptOf.apply(e);
      if (r != null) {
        receiptState[i] = r.status;
        receiptStat[i] = r.statWord;
        receiptError[i] = r.errorCode;
        receiptDone[i] = r.doneAt;
        receiptReceived[i] = r.receivedAt;
        receiptId[i] = r.eventId;
      }
    }
    String rank = "CASE %s WHEN 'submitted' THEN 3 WHEN 'rejected' THEN 2 ELSE 1 END";
    String sql = "WITH u AS (SELECT * FROM unnest($1::text[], $2::int4[], $3::int4[], $4::text[], $5::text[],"
        + " $6::text[], $7::int4[], $8::int8[], $9::int8[], $10::text[], $11::text[], $12::text[], $13::text[],"
        + " $14::int8[], $15::int8[], $16::text[]) AS u(m, pi, pt, ch, s, st, cs, sa, ra, e, rst, rsw, rec, rda, rra, re)),"
        + " v AS (SELECT u.*, x.tid FROM u LEFT JOIN LATERAL (SELECT p.ctid AS tid FROM receipt_part p"
        + "   WHERE p.message_id = u.m AND p.part_index = u.pi OFFSET 0) x ON true),"
        + " ins AS (INSERT INTO receipt_part (message_id, part_index, part_total, channel, smsc_id, submit_status,"
        + "   command_status, submitted_at, submit_received_at, submit_event_id, state, stat_word, error_code, done_at,"
        + "   receipt_at, receipt_event_id)"
        + "   SELECT m, pi, pt, ch, s, st, cs, " + ts("coalesce(sa, ra)") + ", " + ts("ra") + ", e, rst, rsw, rec, "
        + ts("rda") + ", " + ts("rra") + ", re FROM v WHERE tid IS NULL ORDER BY m, pi),"
        + " upd AS (UPDATE receipt_part p SET part_total = v.pt, channel = v.ch, smsc_id = v.s, submit_status = v.st,"
        + "   command_status = v.cs, submitted_at = " + ts("coalesce(v.sa, v.ra)") + ", submit_received_at = "
        + ts("v.ra") + ", submit_event_id = v.e FROM v WHERE v.tid IS NOT NULL AND p.ctid = v.tid"
        + "   AND p.message_id = v.m AND p.part_index = v.pi AND (" + String.format(rank, "v.st") + ", "
        + ts("v.ra") + ", v.e) > (" + String.format(rank, "p.submit_status") + ", p.submit_received_at, p.submit_event_id)"
        + "   RETURNING 1)"
        + " SELECT m, pi FROM v WHERE tid IS NULL AND re IS NOT NULL";
    return c.preparedQuery(sql).execute(Tuple.tuple().addValue(message).addValue(part).addValue(parts)
            .addValue(channel).addValue(smsc).addValue(status).addValue(command).addValue(submitted).addValue(received)
            .addValue(id).addValue(receiptState).addValue(receiptStat).addValue(receiptError).addValue(receiptDone)
            .addValue(receiptReceived).addValue(receiptId))
        .map(result -> {
          Set<String> created = new HashSet<>();
          result.forEach(r -> created.add(partKey(r.getString(0), r.getInteger(1))));
          return created;
        });
  }

  static String partKey(String messageId, int partIndex) {
    return messageId + '#' + partIndex;
  }

  /** Parks receipts whose part is not known yet (there {@link #match} finds them once it is). */
  Future<Void> park(SqlClient c, List<SmsEvent> receipts) {
    if (receipts.isEmpty()) {
      return Future.succeededFuture();
    }
    return c.preparedQuery("INSERT INTO receipt_parked (event_id, channel, smsc_id, message_id, state, stat_word,"
            + " error_code, done_at, receipt_at) SELECT e, ch, s, m, st, sw, ec, " + ts("da") + ", " + ts("ra")
            + " FROM " + RECEIPTS + " ON CONFLICT (event_id) DO NOTHING")
        .execute(receiptArrays(Tuple.tuple(), receipts))
        .mapEmpty();
  }

  /** The nine receipt arrays as a relation (parameters $1..$9 of {@link #receiptArrays}, shifted by {@code from}). */
  private static String receipts(int from) {
    StringBuilder b = new StringBuilder("unnest(");
    String[] types = {"text", "text", "text", "text", "text", "text", "text", "int8", "int8"};
    for (int i = 0; i < types.length; i++) {
      b.append(i == 0 ? "" : ", ").append('$').append(from + i).append("::").append(types[i]).append("[]");
    }
    return b.append(") AS u(e, ch, s, m, st, sw, ec, da, ra)").toString();
  }

  private static final String RECEIPTS = receipts(1);

  private static Tuple receiptArrays(Tuple t, List<SmsEvent> receipts) {
    int n = receipts.size();
    String[] id = new String[n];
    String[] channel = new String[n];
    String[] smsc = new String[n];
    String[] message = new String[n];
    String[] state = new String[n];
    String[] stat = new String[n];
    String[] error = new String[n];
    Long[] done = new Long[n];
    Long[] received = new Long[n];
    for (int i = 0; i < n; i++) {
      SmsEvent e = receipts.get(i);
      id[i] = e.eventId;
      channel[i] = e.channel;
      smsc[i] = e.smscId;
      message[i] = e.messageId;
      state[i] = e.status;
      stat[i] = e.statWord;
      error[i] = e.errorCode;
      done[i] = e.doneAt;
      received[i] = e.receivedAt;
    }
    return t.addValue(id).addValue(channel).addValue(smsc).addValue(message).addValue(state).addValue(stat)
        .addValue(error).addValue(done).addValue(received);
  }

  /**
   * Matches receipts to the parts of these messages on channel + SMSC id: the batch's new receipts
   * (those whose part is not among them are parked instead) and the parked and unmatched ones
   * (removed from there once matched). Sets each part's state from its best receipt: a final state
   * beats ENROUTE, then the later one. Completes with the number of receipts matched.
   *
   * <p>The same as parking every new receipt first and matching the parked ones, without writing
   * and deleting a parked row for each receipt whose part is already known. Each candidate carries
   * the ctid its part was read at in this statement, so the update goes straight to the row (a TID
   * scan) instead of joining receipt_part again on its key.
   *
   * <p>A fresh receipt's part is found by one index probe per receipt (the OFFSET 0 keeps the
   * planner from hashing all of receipt_part, which custom plans chose once the batch's arrays
   * were known), and it must belong to a message of the batch (locked). Most receipts name their
   * part's message, which is then one of them; only the others are looked up in the list. Joining
   * the list as {@code unnest($1)} made the generic plan, which expects ten rows of it, scan the
   * whole list for every receipt (a batch's 950 × 600: 58 of 220 ms per batch).
   *
   * <p>A fresh receipt that its part already holds is no candidate: its values are the part's, so
   * it can never be strictly better than what the part has, and the best of the other candidates
   * updates the part exactly when it beats it. Leaving them out spares sorting them for DISTINCT ON
   * and fetching their parts again for the update. They still count as matched. (Most of a batch's
   * receipts go onto parts {@link #upsertParts} created with them, or rank below what those got;
   * {@link BatchApplier} leaves those out of {@code receipts} altogether.)
   */
  Future<Integer> match(SqlClient c, String[] messageIds, List<SmsEvent> receipts) {
    String cand = "SELECT '%1$s' AS src, x.event_id, t.message_id, t.part_index, x.state, x.stat_word, x.error_code,"
        + " x.done_at, x.receipt_at, t.ctid AS tid FROM %2$s x JOIN receipt_part t ON t.channel = x.channel"
        + " AND t.smsc_id = x.smsc_id"
        + " WHERE t.message_id = ANY($1::text[])";
    String sql = "WITH r AS (SELECT * FROM " + receipts(2) + "),"
        + " fresh AS (SELECT r.e AS event_id, t.message_id, t.part_index, r.st AS state, r.sw AS stat_word,"
        + "   r.ec AS error_code, " + ts("r.da") + " AS done_at, " + ts("r.ra") + " AS receipt_at, t.ctid AS tid,"
        + "   (t.receipt_event_id IS NOT NULL AND t.receipt_event_id = r.e) AS held"
        + "   FROM r CROSS JOIN LATERAL (SELECT t.message_id, t.part_index, t.ctid, t.receipt_event_id FROM receipt_part t"
        + "   WHERE t.channel = r.ch AND t.smsc_id = r.s OFFSET 0) t"
        + "   WHERE t.message_id = r.m OR t.message_id = ANY($1::text[])),"
        + " cand AS (" + String.format(cand, "p", "receipt_parked") + " UNION ALL "
        + String.format(cand, "u", "receipt_unmatched") + " UNION ALL SELECT 'n', event_id, message_id, part_index,"
        + "   state, stat_word, error_code, done_at, receipt_at, tid FROM fresh WHERE NOT held),"
        + " gone_p AS (DELETE FROM receipt_parked WHERE event_id IN (SELECT event_id FROM cand WHERE src = 'p')),"
        + " gone_u AS (DELETE FROM receipt_unmatched WHERE event_id IN (SELECT event_id FROM cand WHERE src = 'u')),"
        + " parked AS (INSERT INTO receipt_parked (event_id, channel, smsc_id, message_id, state, stat_word, error_code,"
        + "   done_at, receipt_at) SELECT e, ch, s, m, st, sw, ec, " + ts("da") + ", " + ts("ra") + " FROM r"
        + "   WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.event_id = r.e) ORDER BY e ON CONFLICT (event_id) DO NOTHING),"
        + " best AS (SELECT DISTINCT ON (message_id, part_index) * FROM cand"
        + "   ORDER BY message_id, part_index, (state <> 'enroute') DESC, receipt_at DESC, event_id DESC),"
        + " upd AS (UPDATE receipt_part t SET state = b.state, stat_word = b.stat_word, error_code = b.error_code,"
        + "   done_at = b.done_at, receipt_at = b.receipt_at, receipt_event_id = b.event_id FROM best b"
        + "   WHERE t.ctid = b.tid AND t.message_id = b.message_id AND t.part_index = b.part_index AND (t.state IS NULL"
        + "   OR ((b.state <> 'enroute'), b.receipt_at, b.event_id) > ((t.state <> 'enroute'), t.receipt_at, t.receipt_event_id))"
        + "   RETURNING 1)"
        + " SELECT ((SELECT count(*) FROM fresh) + (SELECT count(*) FROM cand WHERE src <> 'n'))::int4,"
        + " (SELECT count(*) FROM upd)::int4";
    // Planned once per connection: PostgreSQL chose custom plans for this statement every time, and
    // planning it with the batch's arrays took 2.9 ms a batch (293 ms of sink-profile.sh's 100
    // batches, 73 with the generic plan, whose execution took as long: auto_explain, 14.3 ms against
    // 13.9 a batch). The setting is local to the transaction and set back for what follows.
    Future<?> generic = c.query("SET LOCAL plan_cache_mode = force_generic_plan").execute();
    Future<Integer> matched = c.preparedQuery(sql).execute(receiptArrays(Tuple.of((Object) messageIds), receipts))
        .map(rows -> rows.iterator().next().getInteger(0));
    Future<?> restored = c.query("SET LOCAL plan_cache_mode TO DEFAULT").execute();
    return Future.all(generic, matched, restored).map(v -> matched.result());
  }

  private static final String MESSAGE_COLUMNS = "message_id, campaign_id, channel, parts, parts_delivered, parts_failed,"
      + " status, error_code, submitted_at, final_at, done_at";

  /** A message whose row changed: its state before (null: the row is new) and after. */
  record Change(MessageState before, MessageState after) {
  }

  /**
   * Derives each message's status from its parts: rejected if a part was rejected (its SMPP code),
   * failed if a part failed (the first failure's code), delivered when all parts are delivered or
   * accepted, unknown when still open and submitted before {@code unknownCutoffMs}, else submitted.
   * Writes the rows that changed and completes with their states before and after.
   *
   * <p>A message's campaign comes from its submit results (the seam to campaigns): {@code
   * campaignOf} holds those of this batch; a message none of them names keeps the campaign it
   * has (0: none, e.g. test sends). A message's row is created in the batch that created its
   * first part, whose submit result carries the campaign, so no separate message → campaign
   * table is written and read per batch.
   *
   * <p>The rejection's and the first failure's codes are looked up only for the messages that have
   * one (a few in a hundred), by a probe in the CASE that needs them, rather than by ordered
   * aggregates over every message's parts: those set up two sorts per message, a third of the
   * aggregation's time.
   *
   * <p>Each message's row is read once, by one probe of its key (OFFSET 0: no plan hashes the
   * whole table), for its old state (what the statistics take out), in the statement that writes
   * it, instead of by a separate snapshot statement. New rows go in with a plain INSERT, without
   * the speculative insertion (and its confirmation record) that ON CONFLICT makes for a row it does
   * not find; changed rows go through ON CONFLICT DO UPDATE, which finds them by their key. (An
   * UPDATE joined to them lets the planner hash the whole table when it is small.) No other
   * transaction can write one of these rows meanwhile: every writer holds the locks of its messages.
   */
  Future<List<Change>> recompute(SqlClient c, String[] messageIds, Map<String, Long> campaignOf,
      long unknownCutoffMs) {
    String failed = "p.state IN " + FAILED_STATES;
    String campaign = "CASE WHEN x.campaign_id <> 0 THEN x.campaign_id ELSE coalesce(o.o_campaign, 0) END";
    String sql = "WITH agg AS (SELECT m.id AS message_id, coalesce(m.campaign, 0) AS campaign_id, a.*"
        + " FROM unnest($1::text[], $3::int8[]) AS m(id, campaign) CROSS JOIN LATERAL"
        + " (SELECT count(*) AS n, min(p.channel) AS channel, max(p.part_total) AS parts,"
        + " count(*) FILTER (WHERE p.state IN ('delivered', 'accepted'))::int4 AS delivered,"
        + " count(*) FILTER (WHERE " + failed + ")::int4 AS failed,"
        + " count(*) FILTER (WHERE p.submit_status = 'rejected') AS rejected,"
        + " min(p.submitted_at) AS submitted_at,"
        + " min(p.submit_received_at) FILTER (WHERE p.submit_status = 'rejected') AS rejected_at,"
        + " min(p.receipt_at) FILTER (WHERE " + failed + ") AS failed_at,"
        + " max(p.receipt_at) AS last_receipt, max(p.done_at) AS done_at"
        + " FROM receipt_part p WHERE p.message_id = m.id) a WHERE a.n > 0),"
        + " next AS (SELECT a.message_id, a.campaign_id, a.channel, a.parts, a.delivered,"
        + " a.failed, CASE WHEN a.rejected > 0 THEN 'rejected' WHEN a.failed > 0 THEN 'failed'"
        + "   WHEN a.delivered >= a.parts THEN 'delivered' WHEN a.submitted_at < " + ts("$2::int8") + " THEN 'unknown'"
        + "   ELSE 'submitted' END AS status,"
        + " CASE WHEN a.rejected > 0 THEN '0x' || upper(lpad(to_hex((SELECT p.command_status FROM receipt_part p"
        + "   WHERE p.message_id = a.message_id AND p.submit_status = 'rejected' ORDER BY p.part_index LIMIT 1)), 8, '0'))"
        + "   WHEN a.failed > 0 THEN (SELECT p.error_code FROM receipt_part p WHERE p.message_id = a.message_id AND "
        + failed + " ORDER BY p.receipt_at, p.part_index LIMIT 1) END AS error_code,"
        + " a.submitted_at,"
        + " CASE WHEN a.rejected > 0 THEN a.rejected_at WHEN a.failed > 0 THEN a.failed_at"
        + "   WHEN a.delivered >= a.parts THEN a.last_receipt END AS final_at,"
        + " a.done_at FROM agg a),"
        + " chg AS (SELECT x.*, o.*, " + campaign + " AS campaign FROM next x LEFT JOIN LATERAL"
        + "   (SELECT r.ctid AS tid, r.campaign_id AS o_campaign, r.channel AS o_channel, r.parts AS o_parts,"
        + "   r.parts_delivered AS o_delivered, r.parts_failed AS o_failed, r.status AS o_status, r.error_code AS o_error,"
        + "   r.submitted_at AS o_submitted, r.final_at AS o_final, r.done_at AS o_done FROM receipt_message r"
        + "   WHERE r.message_id = x.message_id OFFSET 0) o ON true"
        + "   WHERE o.tid IS NULL OR (o.o_campaign, o.o_channel, o.o_parts, o.o_delivered, o.o_failed, o.o_status, o.o_error,"
        + "   o.o_submitted, o.o_final, o.o_done) IS DISTINCT FROM (" + campaign + ", x.channel, x.parts, x.delivered,"
        + "   x.failed, x.status, x.error_code, x.submitted_at, x.final_at, x.done_at)),"
        + " ins AS (INSERT INTO receipt_message (" + MESSAGE_COLUMNS + ") SELECT message_id, campaign, channel, parts,"
        + "   delivered, failed, status, error_code, submitted_at, final_at, done_at FROM chg WHERE tid IS NULL"
        + "   ORDER BY message_id),"
        + " upd AS (INSERT INTO receipt_message (" + MESSAGE_COLUMNS + ") SELECT message_id, campaign, channel, parts,"
        + "   delivered, failed, status, error_code, submitted_at, final_at, done_at FROM chg WHERE tid IS NOT NULL"
        + "   ORDER BY message_id ON CONFLICT (message_id) DO UPDATE SET campaign_id = EXCLUDED.campaign_id,"
        + "   channel = EXCLUDED.channel, parts = EXCLUDED.parts, parts_delivered = EXCLUDED.parts_delivered,"
        + "   parts_failed = EXCLUDED.parts_failed, status = EXCLUDED.status, error_code = EXCLUDED.error_code,"
        + "   submitted_at = EXCLUDED.submitted_at, final_at = EXCLUDED.final_at, done_at = EXCLUDED.done_at)"
        + " SELECT message_id, campaign, channel, status, error_code, " + ms("submitted_at") + ", " + ms("final_at")
        + ", tid IS NOT NULL, o_campaign, o_channel, o_status, o_error, " + ms("o_submitted") + ", " + ms("o_final")
        + " FROM chg";
    Long[] campaigns = new Long[messageIds.length];
    for (int i = 0; i < campaigns.length; i++) {
      campaigns[i] = campaignOf.get(messageIds[i]);
    }
    return c.preparedQuery(sql).execute(Tuple.of(messageIds, unknownCutoffMs, campaigns))
        .map(rows -> {
          List<Change> out = new ArrayList<>();
          for (Row r : rows) {
            MessageState before = r.getBoolean(7) ? new MessageState(r.getString(0), r.getLong(8), r.getString(9),
                r.getString(10), r.getString(11), r.getLong(12), r.getLong(13)) : null;
            out.add(new Change(before, state(r)));
          }
          return out;
        });
  }
}
