package org.qingfeng.campaign;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** All SQL about the dispatch ledger: one message row per (campaign, contact). */
public final class LedgerStore {
  private final Pool pool;

  public LedgerStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /**
   * The next audience page after {@code cursor}, with each contact's opt-out flag and how many
   * live messages of other campaigns reached its number since {@code capSince}.
   */
  public Future<RowSet<Row>> audiencePage(Campaign c, long cursor, int limit, Instant capSince) {
    return pool.preparedQuery("SELECT c.id, c.phone, c.name, c.unit, c.township, "
            + "EXISTS (SELECT 1 FROM opt_out o WHERE o.phone = c.phone) AS opted_out, "
            + "(SELECT count(*) FROM message m WHERE m.phone = c.phone AND m.created_at > $8 AND m.campaign_id <> $9 "
            + "AND m.status NOT IN ('cancelled', 'expired', 'failed'))::int AS recent "
            + "FROM contact c WHERE " + AudienceSql.FILTER + " ORDER BY c.id LIMIT $10")
        .execute(AudienceSql.params(c.audience, cursor).addValue(Campaign.odt(capSince)).addValue(c.id).addValue(limit));
  }

  /**
   * Inserts a page of ledger rows and returns their ids, to be produced. The caller runs it in
   * the transaction that moves the campaign's checkpoint from the page's first to its last
   * contact, so no row of the page can exist already: a committed page always carries its
   * checkpoint, and rows committed but not produced (a crash, a failed produce) are produced
   * again by the requeue pass. The unique key stays the last word: a row that does exist (a
   * second expander got there first) fails the statement, see {@link #pageExists}.
   *
   * <p>A plain insert rather than ON CONFLICT DO NOTHING: the speculative insertion behind
   * ON CONFLICT probes the unique index once more and writes a confirm record per row, which
   * cost PostgreSQL 15-25 % more backend CPU per page in a 200,000-row psql comparison.
   */
  static Future<List<Long>> insertPage(SqlConnection conn, long campaignId, Long[] contactIds, String[] phones,
      String[] texts, Integer[] parts, Instant now) {
    return conn.preparedQuery("INSERT INTO message (campaign_id, contact_id, phone, text, parts, status, created_at, "
            + "updated_at) SELECT $1, u.contact_id, u.phone, u.text, u.parts, 'queued', $6, $6 "
            + "FROM unnest($2::bigint[], $3::text[], $4::text[], $5::int[]) AS u(contact_id, phone, text, parts) "
            + "RETURNING id")
        .execute(Tuple.of(campaignId, contactIds, phones, texts, parts, Campaign.odt(now)))
        .map(LedgerStore::ids);
  }

  /**
   * Whether a page insert failed because a row of the page is already in the ledger. Rows are
   * only ever committed with the checkpoint past them, so the page's own checkpoint cannot move
   * any more: the caller treats it as another expander having taken over (the page rolls back).
   */
  static boolean pageExists(Throwable err) {
    return err instanceof PgException && "23505".equals(((PgException) err).getSqlState());
  }

  /**
   * Queued message ids of a campaign after {@code afterId}, in id order (the requeue pass). With no
   * partial index of open messages it reads message_campaign_idx (or the primary key, when the
   * campaign is most of the table) and filters on status. Kept an equality on campaign_id: a row
   * comparison that pins message_campaign_idx, as in CampaignStore.openFrom, got a generic plan
   * (after five executions) that reads and sorts the whole campaign at every page.
   */
  public Future<List<Long>> queuedAfter(long campaignId, long afterId, int limit) {
    return pool.preparedQuery("SELECT id FROM message WHERE campaign_id = $1 AND status = 'queued' AND id > $2 ORDER BY id LIMIT $3")
        .execute(Tuple.of(campaignId, afterId, limit)).map(LedgerStore::ids);
  }

  /** Queued messages become cancelled or expired with their campaign. */
  static Future<Void> closeQueued(SqlClient conn, long campaignId, String status, Instant now) {
    return conn.preparedQuery("UPDATE message SET status = $2, updated_at = $3 WHERE campaign_id = $1 AND status = 'queued'")
        .execute(Tuple.of(campaignId, status, Campaign.odt(now))).mapEmpty();
  }

  /**
   * The claim: queued → submitting in one conditional statement, only for running campaigns.
   * A replayed record, a restarted or a second sender finds the row no longer queued.
   *
   * <p>The same statement writes one lease row with the claimed ids and the claim's database time
   * (each message's leased_at, the same now()): the stuck-sweep finds messages in submitting
   * through these rows, so no index names status or leased_at and the update is HOT (see
   * V8_2__ledger_hot_updates.sql). No row when nothing was claimed. The columns and their order
   * are the UPDATE's RETURNING list.
   */
  public Future<RowSet<Row>> claim(Long[] ids, Instant now) {
    return pool.preparedQuery("WITH claimed AS (UPDATE message m SET status = 'submitting', attempts = m.attempts + 1, "
            + "claimed_at = $2, leased_at = now(), updated_at = $2 FROM campaign c WHERE m.id = ANY($1) AND m.status = 'queued' "
            + "AND c.id = m.campaign_id AND c.status = 'running' RETURNING m.id, m.campaign_id, m.phone, m.text, m.parts, "
            + "m.attempts, c.channel, c.max_rate, c.time_zone, c.window_start, c.window_end, c.expire_at), "
            + "lease AS (INSERT INTO message_lease (leased_at, ids) SELECT now(), array_agg(id) FROM claimed HAVING count(*) > 0) "
            + "SELECT * FROM claimed")
        .execute(Tuple.of(ids, Campaign.odt(now)));
  }

  /** One submit's result to record. */
  public static final class Outcome {
    public final long id;
    public final long campaignId;
    public final String status;
    public final String smscIds;
    public final String error;
    public final boolean unknown;

    public Outcome(long id, long campaignId, String status, String smscIds, String error, boolean unknown) {
      this.id = id;
      this.campaignId = campaignId;
      this.status = status;
      this.smscIds = smscIds;
      this.error = error;
      this.unknown = unknown;
    }
  }

  /**
   * Records submit results in one transaction. Rows go back to queued for a retry; a row the
   * stuck-sweep already re-queued still takes a known result, so it is not sent again.
   */
  public Future<Void> recordOutcomes(List<Outcome> outcomes, Instant now) {
    if (outcomes.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = outcomes.size();
    Long[] ids = new Long[n];
    String[] status = new String[n];
    String[] smsc = new String[n];
    String[] errors = new String[n];
    Integer[] unknown = new Integer[n];
    Map<Long, Integer> unknownByCampaign = new HashMap<>();
    // Only outcomes that put a message back or count on the campaign lock its row (see lockCampaigns);
    // plain submitted/failed results, the hot path, take no campaign lock.
    Set<Long> toLock = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Outcome o = outcomes.get(i);
      ids[i] = o.id;
      status[i] = o.status;
      smsc[i] = o.smscIds == null ? "" : o.smscIds;
      errors[i] = o.error;
      unknown[i] = o.unknown ? 1 : 0;
      if (o.unknown) {
        unknownByCampaign.merge(o.campaignId, 1, Integer::sum);
      }
      if (o.unknown || "queued".equals(o.status)) {
        toLock.add(o.campaignId);
      }
    }
    // A retry of a campaign that was cancelled or expired meanwhile closes with its campaign instead.
    Long[] lockFirst = toLock.toArray(new Long[0]);
    return pool.withTransaction(conn -> (lockFirst.length == 0 ? Future.<Void>succeededFuture()
            : lockCampaigns(conn, "SELECT unnest($1::bigint[])", Tuple.of((Object) lockFirst)))
        .compose(locked -> conn.preparedQuery(
            "UPDATE message m SET status = CASE WHEN u.status = 'queued' "
            + "AND c.status IN ('cancelled', 'expired') THEN c.status ELSE u.status END, "
            + "smsc_ids = CASE WHEN u.smsc = '' THEN m.smsc_ids ELSE string_to_array(u.smsc, ',') END, error = u.error, "
            + "submitted_at = CASE WHEN u.status = 'submitted' THEN $6 ELSE m.submitted_at END, updated_at = $6, "
            + "outcome_unknown = m.outcome_unknown + u.unknown "
            + "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[]) AS u(id, status, smsc, error, unknown), "
            + "campaign c WHERE m.id = u.id AND c.id = m.campaign_id AND m.status IN ('submitting', 'queued')")
        .execute(Tuple.of(ids, status, smsc, errors, unknown, Campaign.odt(now))))
        .compose(v -> addOutcomeUnknown(conn, unknownByCampaign)));
  }

  /**
   * Locks the campaigns' rows, in id order, before a statement that may put a message back to
   * queued: a cancel or expiry that is committing waits for this transaction or this transaction
   * for it. Without it the statement can read the campaign as running from a snapshot taken while
   * the close was committing, after the close's closeQueued had passed the message (still
   * submitting then), and leave it queued in a closed campaign for good. NO KEY UPDATE rather than
   * SHARE: two transactions of one campaign queue up instead of deadlocking when both go on to
   * update its row (requeue flag, outcome-unknown count).
   */
  private static Future<Void> lockCampaigns(SqlClient conn, String campaignIdsQuery, Tuple args) {
    return conn.preparedQuery("SELECT c.id FROM campaign c WHERE c.id IN (" + campaignIdsQuery + ") "
        + "ORDER BY c.id FOR NO KEY UPDATE OF c").execute(args).mapEmpty();
  }

  private static Future<Void> addOutcomeUnknown(SqlClient conn, Map<Long, Integer> byCampaign) {
    if (byCampaign.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery("UPDATE campaign c SET outcome_unknown = c.outcome_unknown + x.n "
            + "FROM unnest($1::bigint[], $2::int[]) AS x(id, n) WHERE c.id = x.id")
        .execute(Tuple.tuple().addValue(byCampaign.keySet().toArray(new Long[0]))
            .addValue(byCampaign.values().toArray(new Integer[0])))
        .mapEmpty();
  }

  /**
   * Claimed messages that were not submitted: back to queued with their attempt refunded. Held
   * ones (window closed, expired) flag their campaign for the requeue pass; a sender that will
   * retry the same records itself does not.
   */
  public Future<Void> release(Long[] ids, Instant now, boolean flagRequeue) {
    return pool.withTransaction(conn -> lockCampaigns(conn, "SELECT m.campaign_id FROM message m WHERE m.id = ANY($1)",
            Tuple.of((Object) ids))
        .compose(locked -> conn.preparedQuery("UPDATE message m SET status = CASE WHEN c.status IN "
            + "('cancelled', 'expired') THEN c.status ELSE 'queued' END, attempts = m.attempts - 1, updated_at = $2 "
            + "FROM campaign c WHERE c.id = m.campaign_id AND m.id = ANY($1) AND m.status = 'submitting' RETURNING m.campaign_id")
        .execute(Tuple.of(ids, Campaign.odt(now)))
        .compose(rows -> !flagRequeue ? Future.succeededFuture()
            : conn.preparedQuery("UPDATE campaign SET requeue = true WHERE id = ANY($1)")
                .execute(Tuple.of(ids(rows).stream().distinct().toArray(Long[]::new))))
        .mapEmpty()));
  }

  /** What one stuck-sweep found: counts per campaign, and the re-queued ids of running campaigns. */
  public static final class Swept {
    public final Map<Long, Integer> counts = new HashMap<>();
    public final Map<Long, List<Long>> requeued = new HashMap<>();
  }

  /**
   * Messages left in submitting by a crashed sender are outcome-unknown: re-queued (or failed,
   * by policy) and counted on the message and its campaign. The caller produces exactly the
   * re-queued ids of running campaigns again (a paused one gets its requeue pass on resume),
   * instead of flagging the campaign for a pass over all its queued messages.
   *
   * <p>Candidates come from the lease rows older than the cutoff, which the first statement
   * deletes (one look at each lease suffices: a message of it still in submitting under that
   * lease is swept now, one claimed again since is in a newer lease, and a lease row not yet
   * visible is left for the next sweep). It keeps the ids whose message is still in submitting
   * from before the cutoff, usually none, and then the campaigns are locked and the messages
   * updated for exactly those ids, each statement checking the message's state again. All in one
   * transaction: a failed sweep puts its lease rows back. The lease ids go to the message table
   * as an array (= ANY) rather than a join, so they are looked up by primary key whatever the
   * planner guesses of the lease rows' count.
   */
  public Future<Swept> sweepStuck(Duration timeout, Instant now, boolean requeue) {
    double seconds = timeout.toSeconds();
    return pool.withTransaction(conn -> conn.preparedQuery("WITH gone AS (DELETE FROM message_lease "
            + "WHERE leased_at < now() - make_interval(secs => $1) RETURNING ids) "
            + "SELECT m.id, m.campaign_id FROM message m WHERE m.id = ANY (ARRAY(SELECT unnest(ids) FROM gone)) "
            + "AND m.status = 'submitting' AND m.leased_at < now() - make_interval(secs => $1)")
        .execute(Tuple.of(seconds))
        .compose(rows -> {
          Long[] stuck = ids(rows).toArray(new Long[0]);
          if (stuck.length == 0) {
            return Future.succeededFuture(new Swept());
          }
          Set<Long> campaignIds = new HashSet<>();
          rows.forEach(r -> campaignIds.add(r.getLong(1)));
          return lockCampaigns(conn, "SELECT unnest($1::bigint[])", Tuple.of((Object) campaignIds.toArray(new Long[0])))
              .compose(locked -> conn.preparedQuery("WITH stuck AS (UPDATE message m SET status = CASE WHEN $3 "
                  + "AND c.status IN ('running', 'paused') THEN 'queued' ELSE 'failed' END, error = CASE WHEN $3 "
                  + "AND c.status IN ('running', 'paused') THEN m.error "
                  + "ELSE 'outcome unknown: the sender stopped during submit' END, outcome_unknown = m.outcome_unknown + 1, "
                  + "updated_at = $2 FROM campaign c WHERE c.id = m.campaign_id AND m.id = ANY($4) AND m.status = 'submitting' "
                  + "AND m.leased_at < now() - make_interval(secs => $1) "
                  + "RETURNING m.id, m.campaign_id, m.status = 'queued' AND c.status = 'running' AS produce), "
                  + "agg AS (SELECT campaign_id, count(*)::int AS n FROM stuck GROUP BY campaign_id), "
                  + "counted AS (UPDATE campaign c SET outcome_unknown = c.outcome_unknown + agg.n FROM agg WHERE c.id = agg.campaign_id) "
                  + "SELECT id, campaign_id, produce FROM stuck")
              .execute(Tuple.of(seconds, Campaign.odt(now), requeue, stuck)))
              .map(LedgerStore::swept);
        }));
  }

  private static Swept swept(RowSet<Row> rows) {
    Swept out = new Swept();
    rows.forEach(r -> {
      long campaign = r.getLong(1);
      out.counts.merge(campaign, 1, Integer::sum);
      if (r.getBoolean(2)) {
        out.requeued.computeIfAbsent(campaign, k -> new ArrayList<>()).add(r.getLong(0));
      }
    });
    return out;
  }

  /** Message counts (and parts) by status for one campaign. */
  public Future<JsonObject> progress(long campaignId) {
    return pool.preparedQuery("SELECT status, count(*)::int AS n, coalesce(sum(parts), 0)::int AS parts FROM message "
            + "WHERE campaign_id = $1 GROUP BY status").execute(Tuple.of(campaignId)).map(rows -> {
              JsonObject counts = new JsonObject();
              int total = 0;
              int parts = 0;
              for (Row r : rows) {
                counts.put(r.getString("status"), r.getInteger("n"));
                total += r.getInteger("n");
                parts += r.getInteger("parts");
              }
              return new JsonObject().put("messages", total).put("parts", parts).put("by_status", counts);
            });
  }

  /** A page of messages in id order, filtered by any of campaign, status and phone; limit + 1 rows at most. */
  public Future<RowSet<Row>> page(Long campaignId, String status, String phone, Long after, int limit) {
    StringBuilder sql = new StringBuilder("SELECT id, campaign_id, contact_id, phone, text, parts, status, attempts, "
        + "outcome_unknown, smsc_ids, error, created_at, claimed_at, submitted_at, updated_at FROM message WHERE true");
    Tuple args = Tuple.tuple();
    List<Object> values = new ArrayList<>();
    condition(sql, values, " AND campaign_id = $", campaignId);
    condition(sql, values, " AND status = $", status);
    condition(sql, values, " AND phone = $", phone);
    condition(sql, values, " AND id > $", after);
    values.add(limit + 1);
    sql.append(" ORDER BY id LIMIT $").append(values.size());
    values.forEach(args::addValue);
    return pool.preparedQuery(sql.toString()).execute(args);
  }

  private static void condition(StringBuilder sql, List<Object> values, String clause, Object value) {
    if (value != null) {
      values.add(value);
      sql.append(clause).append(values.size());
    }
  }

  private static List<Long> ids(RowSet<Row> rows) {
    List<Long> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(r.getLong(0)));
    return out;
  }
}
