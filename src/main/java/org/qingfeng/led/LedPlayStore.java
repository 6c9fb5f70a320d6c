package org.qingfeng.led;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** LED SQL about proof of play: what plays may name, storing them idempotently, and the reports. */
public final class LedPlayStore {
  private final Pool pool;

  public LedPlayStore(Pool pool) {
    this.pool = pool;
  }

  /** "i<item>:<hash>" for every version of the items, "a<alert>:<hash>" for the alerts. */
  public Future<Set<String>> knownHashes(Set<Long> items, Set<Long> alerts) {
    return pool.preparedQuery("SELECT 'i' || item_id || ':' || content_hash AS k FROM led_item_version WHERE item_id = ANY($1::bigint[]) "
            + "UNION ALL SELECT 'a' || id || ':' || content_hash FROM led_alert WHERE id = ANY($2::bigint[])")
        .execute(Tuple.tuple().addValue(items.toArray(new Long[0])).addValue(alerts.toArray(new Long[0]))).map(rows -> {
          Set<String> out = new HashSet<>();
          rows.forEach(r -> out.add(r.getString("k")));
          return out;
        });
  }

  /** Stores plays; a (screen, client play id) already stored is skipped. Returns rows inserted. */
  public Future<Integer> insertPlays(List<PlayRecord> plays) {
    int n = plays.size();
    Long[] screens = new Long[n];
    String[] ids = new String[n];
    Long[] items = new Long[n];
    Long[] alerts = new Long[n];
    String[] hashes = new String[n];
    OffsetDateTime[] started = new OffsetDateTime[n];
    Integer[] durations = new Integer[n];
    OffsetDateTime[] received = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      PlayRecord p = plays.get(i);
      screens[i] = p.screenId;
      ids[i] = p.clientPlayId;
      items[i] = p.itemId > 0 ? p.itemId : null;
      alerts[i] = p.alertId > 0 ? p.alertId : null;
      hashes[i] = p.contentHash;
      started[i] = utc(p.startedAtMs);
      durations[i] = p.durationMs;
      received[i] = utc(p.receivedAtMs);
    }
    return pool.preparedQuery("INSERT INTO led_play (screen_id, client_play_id, item_id, alert_id, content_hash, started_at, "
            + "duration_ms, received_at) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], "
            + "$6::timestamptz[], $7::int[], $8::timestamptz[]) ON CONFLICT (screen_id, client_play_id) DO NOTHING")
        .execute(Tuple.of(screens, ids, items, alerts, hashes, started, durations).addValue(received))
        .map(RowSet::rowCount);
  }

  private static OffsetDateTime utc(long ms) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC);
  }

  private static final String SCOPE = "p.started_at >= $1 AND p.started_at < $2 AND p.item_id IS NOT NULL "
      + "AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM led_screen_group g WHERE g.screen_id = p.screen_id AND g.group_id = $3)) ";

  /**
   * Plays of content items in [from, to), optionally on one group's screens: totals, per screen,
   * per item version (with the text as it was shown), and the library's rules not shown.
   */
  public Future<JsonObject> playsReport(OffsetDateTime from, OffsetDateTime to, Long groupId, Long libraryId) {
    Tuple scope = Tuple.of(from, to, groupId);
    Future<RowSet<Row>> totals = pool.preparedQuery("SELECT count(*) AS plays, count(DISTINCT p.item_id) AS items, "
        + "count(DISTINCT p.item_id) FILTER (WHERE i.category = 'rule') AS rules, count(DISTINCT p.screen_id) AS screens "
        + "FROM led_play p JOIN led_item i ON i.id = p.item_id WHERE " + SCOPE).execute(scope);
    Future<RowSet<Row>> screens = pool.preparedQuery("SELECT p.screen_id, s.name, count(*) AS plays, "
        + "count(DISTINCT p.item_id) AS items FROM led_play p JOIN led_screen s ON s.id = p.screen_id WHERE " + SCOPE
        + "GROUP BY p.screen_id, s.name ORDER BY p.screen_id").execute(scope);
    Future<RowSet<Row>> items = pool.preparedQuery("SELECT p.item_id, p.content_hash, i.category, i.library_id, "
        + "count(*) AS plays, count(DISTINCT p.screen_id) AS screens, min(v.version) AS version, min(v.text) AS text "
        + "FROM led_play p JOIN led_item i ON i.id = p.item_id "
        + "LEFT JOIN led_item_version v ON v.item_id = p.item_id AND v.content_hash = p.content_hash WHERE " + SCOPE
        + "GROUP BY p.item_id, p.content_hash, i.category, i.library_id ORDER BY p.item_id, version").execute(scope);
    Future<RowSet<Row>> unseen = libraryId == null ? Future.succeededFuture(null)
        : pool.preparedQuery("SELECT count(*) OVER () AS total_unseen, i.id FROM led_item i WHERE i.library_id = $4 "
            + "AND i.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM led_play p WHERE p.item_id = i.id AND " + SCOPE + ") "
            + "ORDER BY i.id LIMIT 1000").execute(Tuple.of(from, to, groupId, libraryId));
    Future<RowSet<Row>> libSize = libraryId == null ? Future.succeededFuture(null)
        : pool.preparedQuery("SELECT count(*) AS n FROM led_item WHERE library_id = $1 AND deleted_at IS NULL").execute(Tuple.of(libraryId));
    return Future.all(totals, screens, items, unseen, libSize).map(v -> {
      Row t = totals.result().iterator().next();
      JsonObject out = new JsonObject().put("from", from.toString()).put("to", to.toString()).put("group", groupId)
          .put("total_plays", t.getLong("plays")).put("distinct_items", t.getLong("items"))
          .put("distinct_rules", t.getLong("rules")).put("screens_playing", t.getLong("screens"));
      JsonArray perScreen = new JsonArray();
      screens.result().forEach(r -> perScreen.add(new JsonObject().put("screen_id", r.getLong("screen_id"))
          .put("name", r.getString("name")).put("plays", r.getLong("plays")).put("distinct_items", r.getLong("items"))));
      JsonArray perItem = new JsonArray();
      items.result().forEach(r -> perItem.add(new JsonObject().put("item_id", r.getLong("item_id"))
          .put("version", r.getInteger("version")).put("content_hash", r.getString("content_hash"))
          .put("text", r.getString("text")).put("category", r.getString("category")).put("library_id", r.getLong("library_id"))
          .put("plays", r.getLong("plays")).put("screens", r.getLong("screens"))));
      out.put("per_screen", perScreen).put("per_item", perItem);
      if (libraryId != null) {
        JsonArray ids = new JsonArray();
        long unseenCount = 0;
        for (Row r : unseen.result()) {
          unseenCount = r.getLong("total_unseen");
          ids.add(r.getLong("id"));
        }
        long size = libSize.result().iterator().next().getLong("n");
        out.put("library", new JsonObject().put("id", libraryId).put("rules", size).put("rules_shown", size - unseenCount)
            .put("rules_not_shown", unseenCount).put("not_shown_item_ids", ids).put("not_shown_truncated", unseenCount > ids.size()));
      }
      return out;
    });
  }

  /** An alert's targeted screens and which of them confirmed showing it (a play of the alert). */
  public Future<JsonObject> alertReport(long alertId) {
    Future<RowSet<Row>> alert = pool.preparedQuery("SELECT id, text, content_hash, created_at, expires_at, cleared_at FROM led_alert WHERE id = $1")
        .execute(Tuple.of(alertId));
    Future<RowSet<Row>> targets = pool.preparedQuery("SELECT t.screen_id, s.name, min(p.started_at) AS first_shown, count(p.*) AS plays "
        + "FROM led_alert_screen t JOIN led_screen s ON s.id = t.screen_id "
        + "LEFT JOIN led_play p ON p.alert_id = t.alert_id AND p.screen_id = t.screen_id "
        + "WHERE t.alert_id = $1 GROUP BY t.screen_id, s.name ORDER BY t.screen_id").execute(Tuple.of(alertId));
    return Future.all(alert, targets).map(v -> {
      if (alert.result().size() == 0) {
        return null;
      }
      Row a = alert.result().iterator().next();
      JsonArray confirmed = new JsonArray();
      JsonArray unconfirmed = new JsonArray();
      for (Row r : targets.result()) {
        JsonObject s = new JsonObject().put("screen_id", r.getLong("screen_id")).put("name", r.getString("name"));
        if (r.getLong("plays") > 0) {
          confirmed.add(s.put("first_shown_at", LedStore.iso(r.getOffsetDateTime("first_shown"))).put("plays", r.getLong("plays")));
        } else {
          unconfirmed.add(s);
        }
      }
      return new JsonObject().put("alert_id", a.getLong("id")).put("text", a.getString("text"))
          .put("content_hash", a.getString("content_hash")).put("created_at", LedStore.iso(a.getOffsetDateTime("created_at")))
          .put("expires_at", LedStore.iso(a.getOffsetDateTime("expires_at"))).put("cleared_at", LedStore.iso(a.getOffsetDateTime("cleared_at")))
          .put("targeted", confirmed.size() + unconfirmed.size()).put("confirmed", confirmed.size())
          .put("confirmed_screens", confirmed).put("unconfirmed_screens", unconfirmed);
    });
  }
}
