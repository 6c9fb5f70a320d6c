package org.qingfeng.campaign;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.qingfeng.http.Problem;

/** All SQL about campaign rows and their transition trail (the ledger's SQL is in {@link LedgerStore}). */
public final class CampaignStore {
  private static final String SELECT = "SELECT " + Campaign.COLUMNS + " FROM campaign ";
  private final Pool pool;

  public CampaignStore(Pool pool) {
    this.pool = pool;
  }

  /** A decision about a locked campaign: the next status (and pause reason), or a thrown Problem. */
  @FunctionalInterface
  public interface Rule {
    Step decide(Campaign current);
  }

  /** The outcome of a rule: where the campaign goes, and what else changes with it. */
  public static final class Step {
    final CampaignStatus to;
    final String pauseReason;
    final boolean requeue;
    final boolean approve;
    final String detail;

    public Step(CampaignStatus to, String pauseReason, boolean requeue, boolean approve, String detail) {
      this.to = to;
      this.pauseReason = pauseReason;
      this.requeue = requeue;
      this.approve = approve;
      this.detail = detail;
    }
  }

  public Future<Boolean> audienceExists(Audience a) {
    return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM contact c WHERE " + AudienceSql.FILTER + ")")
        .execute(AudienceSql.params(a, 0L)).map(rows -> rows.iterator().next().getBoolean(0));
  }

  public Future<Campaign> insert(CampaignSpec s, Actor who, Instant now) {
    return pool.withTransaction(conn -> conn.preparedQuery(
            "INSERT INTO campaign (name, text, template_id, signature, festival, audience, channel, send_at, time_zone, "
                + "window_start, window_end, expire_at, max_rate, priority, status, created_by, created_by_name, "
                + "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14, "
                + "'draft', $15, $16, $17, $17) RETURNING " + Campaign.COLUMNS)
        .execute(specTuple(s).addValue(who.tokenId).addValue(who.name).addValue(Campaign.odt(now)))
        .map(rows -> Campaign.from(rows.iterator().next()))
        .compose(c -> event(conn, c.id, "create", null, CampaignStatus.DRAFT, who, null, now).map(c)));
  }

  /** Replaces a draft's fields; anything but a draft is a 409. */
  public Future<Campaign> update(long id, CampaignSpec s, Actor who, Instant now) {
    return pool.withTransaction(conn -> lock(conn, id).compose(c -> {
      if (c.status != CampaignStatus.DRAFT) {
        return Future.failedFuture(Problem.conflict("campaign " + id + " is " + c.status.wireName()
            + "; only a draft can be edited (reject it back to draft first)"));
      }
      return conn.preparedQuery("UPDATE campaign SET name = $1, text = $2, template_id = $3, signature = $4, festival = $5, "
              + "audience = $6::jsonb, channel = $7, send_at = $8, time_zone = $9, window_start = $10, window_end = $11, "
              + "expire_at = $12, max_rate = $13, priority = $14, updated_at = $15 WHERE id = $16 RETURNING " + Campaign.COLUMNS)
          .execute(specTuple(s).addValue(Campaign.odt(now)).addValue(id))
          .map(rows -> Campaign.from(rows.iterator().next()))
          .compose(u -> event(conn, id, "edit", c.status, c.status, who, null, now).map(u));
    }));
  }

  /** Locks the campaign, lets the rule decide, applies the step and records it; 404 when missing. */
  public Future<Campaign> transition(long id, String action, Actor who, Instant now, Rule rule) {
    return pool.withTransaction(conn -> lock(conn, id).compose(c -> {
      Step step = rule.decide(c);
      return apply(conn, c, step, action, who, now);
    }));
  }

  /** A scheduler transition that happens only if the campaign is still in {@code from}; empty when it moved on. */
  public Future<Campaign> systemTransition(long id, CampaignStatus from, String fromReason, Step step, String action, Instant now) {
    return pool.withTransaction(conn -> lock(conn, id).compose(c -> {
      boolean still = c.status == from && (fromReason == null || fromReason.equals(c.pauseReason));
      return still ? apply(conn, c, step, action, Actor.SCHEDULER, now) : Future.succeededFuture(null);
    }));
  }

  private Future<Campaign> apply(SqlConnection conn, Campaign c, Step step, String action, Actor who, Instant now) {
    boolean starting = step.to == CampaignStatus.RUNNING && c.startedAt == null;
    return conn.preparedQuery("UPDATE campaign SET status = $2, pause_reason = $3, requeue = requeue OR $4, "
            + "approved_by = CASE WHEN $5 THEN $6 ELSE approved_by END, updated_at = $7, "
            + "started_at = CASE WHEN $8 THEN $7 ELSE started_at END, "
            + "finished_at = CASE WHEN $9 THEN $7 ELSE finished_at END WHERE id = $1 RETURNING " + Campaign.COLUMNS)
        .execute(Tuple.of(c.id, step.to.wireName(), step.pauseReason, step.requeue, step.approve, who.tokenId)
            .addValue(Campaign.odt(now)).addValue(starting).addValue(step.to.isFinal()))
        .map(rows -> Campaign.from(rows.iterator().next()))
        .compose(u -> step.to == CampaignStatus.CANCELLED || step.to == CampaignStatus.EXPIRED
            ? LedgerStore.closeQueued(conn, c.id, step.to.wireName(), now).map(u) : Future.succeededFuture(u))
        .compose(u -> event(conn, c.id, action, c.status, step.to, who, step.detail, now).map(u));
  }

  public Future<Void> recordEvent(long id, String action, Actor who, String detail, Instant now) {
    return pool.withConnection(conn -> event(conn, id, action, null, null, who, detail, now));
  }

  private static Future<Campaign> lock(SqlConnection conn, long id) {
    return conn.preparedQuery(SELECT + "WHERE id = $1 FOR UPDATE").execute(Tuple.of(id)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(Problem.notFound("no campaign with id " + id))
        : Future.succeededFuture(Campaign.from(rows.iterator().next())));
  }

  private static Future<Void> event(SqlClient conn, long id, String action, CampaignStatus from, CampaignStatus to,
      Actor who, String detail, Instant now) {
    return conn.preparedQuery("INSERT INTO campaign_event (campaign_id, at, action, from_status, to_status, actor_id, "
            + "actor_name, actor_role, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .execute(Tuple.of(id, Campaign.odt(now), action, from == null ? null : from.wireName(),
            to == null ? null : to.wireName(), who.tokenId).addValue(who.name).addValue(who.role).addValue(detail))
        .mapEmpty();
  }

  public Future<Campaign> get(long id) {
    return pool.preparedQuery(SELECT + "WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : Campaign.from(rows.iterator().next()));
  }

  /** Newest first; {@code before} is the cursor (an id). Returns limit + 1 rows at most so callers see a next page. */
  public Future<List<Campaign>> page(CampaignStatus status, Long before, int limit) {
    return pool.preparedQuery(SELECT + "WHERE ($1::text IS NULL OR status = $1) AND ($2::bigint IS NULL OR id < $2) "
            + "ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(status == null ? null : status.wireName(), before, limit + 1))
        .map(CampaignStore::campaigns);
  }

  public Future<JsonArray> events(long id) {
    return pool.preparedQuery("SELECT at, action, from_status, to_status, actor_id, actor_name, actor_role, detail "
            + "FROM campaign_event WHERE campaign_id = $1 ORDER BY id LIMIT 500")
        .execute(Tuple.of(id)).map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("at", r.getOffsetDateTime("at").toString()).put("action", r.getString("action"))
                .put("from", r.getString("from_status")).put("to", r.getString("to_status"))
                .put("actor", new JsonObject().put("token_id", r.getLong("actor_id")).put("name", r.getString("actor_name"))
                    .put("role", r.getString("actor_role")))
                .put("detail", r.getString("detail")));
          }
          return out;
        });
  }

  /** The current status of each campaign (the sender's gate before each submit). */
  public Future<java.util.Map<Long, CampaignStatus>> statuses(Long[] ids) {
    return pool.preparedQuery("SELECT id, status FROM campaign WHERE id = ANY($1)").execute(Tuple.of((Object) ids))
        .map(rows -> {
          java.util.Map<Long, CampaignStatus> out = new java.util.HashMap<>();
          rows.forEach(r -> out.put(r.getLong(0), CampaignStatus.parse(r.getString(1))));
          return out;
        });
  }

  /** Each campaign's max_rate (messages per second per sender). */
  public Future<java.util.Map<Long, Integer>> maxRates(Long[] ids) {
    return pool.preparedQuery("SELECT id, max_rate FROM campaign WHERE id = ANY($1)").execute(Tuple.of((Object) ids))
        .map(rows -> {
          java.util.Map<Long, Integer> out = new java.util.HashMap<>();
          rows.forEach(r -> out.put(r.getLong(0), r.getInteger(1)));
          return out;
        });
  }

  /** Scheduled campaigns whose send_at has come, most urgent first. */
  public Future<List<Campaign>> due(Instant now) {
    return pool.preparedQuery(SELECT + "WHERE status = 'scheduled' AND send_at <= $1 ORDER BY priority DESC, send_at LIMIT 100")
        .execute(Tuple.of(Campaign.odt(now))).map(CampaignStore::campaigns);
  }

  /** Running and paused campaigns: the scheduler's working set. */
  public Future<List<Campaign>> active() {
    return pool.query(SELECT + "WHERE status IN ('running', 'paused') ORDER BY priority DESC, id").execute()
        .map(CampaignStore::campaigns);
  }

  /** Campaigns that finished (completed, cancelled, expired) at or after {@code since}, latest first. */
  public Future<List<Campaign>> finishedSince(Instant since, int limit) {
    return pool.preparedQuery(SELECT + "WHERE status IN ('completed', 'cancelled', 'expired') AND finished_at >= $1 "
            + "ORDER BY finished_at DESC LIMIT $2")
        .execute(Tuple.of(Campaign.odt(since), limit))
        .map(CampaignStore::campaigns);
  }

  /** After a takeover, the previous scheduler may have committed pages it never produced: produce them again. */
  public Future<Integer> requeueAllRunning() {
    return pool.query("UPDATE campaign SET requeue = true WHERE status = 'running'").execute().map(RowSet::rowCount);
  }

  /** Clears the requeue flag; true when this call cleared it (so the caller does the requeue pass). */
  public Future<Boolean> takeRequeue(long id) {
    return pool.preparedQuery("UPDATE campaign SET requeue = false WHERE id = $1 AND requeue").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Void> markRequeue(long id) {
    return pool.preparedQuery("UPDATE campaign SET requeue = true WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  /**
   * Moves one expanded page's checkpoint and counters, only if the campaign is still running and
   * the checkpoint is where this expander left it. False: stop (paused, cancelled, or another expander).
   */
  static Future<Boolean> checkpoint(SqlConnection conn, long id, long from, long to, boolean done, int matched,
      int optedOut, int invalid, int capped, Instant now) {
    return conn.preparedQuery("UPDATE campaign SET expand_cursor = $3, expand_done = $4, audience_matched = audience_matched + $5, "
            + "excluded_opted_out = excluded_opted_out + $6, excluded_invalid = excluded_invalid + $7, "
            + "excluded_capped = excluded_capped + $8, updated_at = $9 "
            + "WHERE id = $1 AND expand_cursor = $2 AND NOT expand_done AND status = 'running'")
        .execute(Tuple.of(id, from, to, done, matched, optedOut).addValue(invalid).addValue(capped).addValue(Campaign.odt(now)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** What one completion check found: the finished campaigns, and the low-water marks for the next check. */
  public static final class Open {
    public final List<Long> finished = new ArrayList<>();
    /** Each unfinished campaign's smallest open message id (queued or submitting) as of this check. */
    public final Map<Long, Long> lowWater = new HashMap<>();
  }

  /**
   * Running campaigns fully expanded with no queued or submitting message left, and the smallest
   * open message id of the others. {@code lowWater} holds such ids from an earlier check (any
   * subset; a campaign missing from it is scanned from its first message): the scan of the
   * campaign's messages starts there. That is safe because a message never goes back from a final
   * status (submitted, failed, expired, cancelled) to queued or submitting, and a fully expanded
   * campaign gets no new messages (a page commits with its checkpoint, which stops moving at
   * expand_done): every message below the mark was final then and still is. During a blast the
   * scan so reads only the messages finished since the last check, instead of every open one.
   */
  public Future<Open> openFrom(Map<Long, Long> lowWater) {
    Long[] campaignIds = lowWater.keySet().toArray(new Long[0]);
    Long[] marks = new Long[campaignIds.length];
    for (int i = 0; i < campaignIds.length; i++) {
      marks[i] = lowWater.get(campaignIds[i]);
    }
    // The campaign is bounded by a row comparison on message_campaign_idx's key, not campaign_id =
    // c.id: with the equality the planner sees an order by id alone and walks the primary key from
    // the mark through every later campaign's rows (it assumes this campaign's rows spread evenly
    // over the table, but a campaign's rows are inserted together); 230 ms a look over 400,000 rows.
    return pool.preparedQuery("SELECT c.id, (SELECT m.id FROM message m WHERE (m.campaign_id, m.id) >= (c.id, coalesce(w.low, 0)) "
            + "AND m.campaign_id <= c.id AND m.status IN ('queued', 'submitting') ORDER BY m.campaign_id, m.id LIMIT 1) "
            + "FROM campaign c LEFT JOIN unnest($1::bigint[], $2::bigint[]) AS w(id, low) ON w.id = c.id "
            + "WHERE c.status = 'running' AND c.expand_done AND NOT c.requeue")
        .execute(Tuple.tuple().addValue(campaignIds).addValue(marks)).map(rows -> {
          Open out = new Open();
          rows.forEach(r -> {
            Long first = r.getLong(1);
            if (first == null) {
              out.finished.add(r.getLong(0));
            } else {
              out.lowWater.put(r.getLong(0), first);
            }
          });
          return out;
        });
  }

  private static Tuple specTuple(CampaignSpec s) {
    return Tuple.tuple().addValue(s.name).addValue(s.content.text).addValue(s.content.templateId)
        .addValue(s.content.signature).addValue(s.content.festival).addValue(s.audience.toJson()).addValue(s.channel)
        .addValue(Campaign.odt(s.sendAt)).addValue(s.timeZone.getId()).addValue(s.window.start).addValue(s.window.end)
        .addValue(Campaign.odt(s.expireAt)).addValue(s.maxRate).addValue(s.priority);
  }

  private static List<Campaign> campaigns(RowSet<Row> rows) {
    List<Campaign> out = new ArrayList<>();
    rows.forEach(r -> out.add(Campaign.from(r)));
    return out;
  }
}
