package org.qingfeng.led;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.qingfeng.http.Problem;
import org.qingfeng.led.LedSnapshot.Alert;
import org.qingfeng.led.LedSnapshot.Assignment;
import org.qingfeng.led.LedSnapshot.Item;
import org.qingfeng.led.LedSnapshot.Screen;

/**
 * LED SQL about screens and groups, plus the snapshot loads. Content and alerts are in
 * {@link LedContentStore}, plays and reports in {@link LedPlayStore}: the domain's SQL stays in
 * these three classes, split only to keep each readable.
 */
public final class LedStore {
  public static final String CHANNEL = "qingfeng_led";
  private final Pool pool;

  public LedStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** Announces a change to every server (delivered when the surrounding transaction commits). */
  public static Future<Void> notify(SqlClient c, String part) {
    return c.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, part)).mapEmpty();
  }

  // ---------------------------------------------------------------- snapshot loads

  public Future<LedSnapshot.Screens> loadScreens() {
    return pool.query("SELECT s.id, s.name, s.status, s.secret_sha256, s.time_zone, s.poll_interval_s, "
            + "coalesce(array_agg(g.group_id ORDER BY g.group_id) FILTER (WHERE g.group_id IS NOT NULL), '{}') AS groups "
            + "FROM led_screen s LEFT JOIN led_screen_group g ON g.screen_id = s.id GROUP BY s.id ORDER BY s.id")
        .execute().map(rows -> {
          Map<Long, Screen> byId = new HashMap<>();
          Map<Long, List<Long>> members = new HashMap<>();
          for (Row r : rows) {
            Buffer secret = r.getBuffer("secret_sha256");
            Set<Long> groups = new HashSet<>(Arrays.asList(r.getArrayOfLongs("groups")));
            Screen s = new Screen(r.getLong("id"), r.getString("name"), r.getString("status"),
                secret == null ? null : secret.getBytes(), ZoneId.of(r.getString("time_zone")),
                r.getInteger("poll_interval_s"), groups);
            byId.put(s.id, s);
            if (s.active()) {
              // Rows come in id order: each group's list is the rotation order.
              groups.forEach(g -> members.computeIfAbsent(g, k -> new ArrayList<>()).add(s.id));
            }
          }
          return new LedSnapshot.Screens(byId, members);
        });
  }

  public Future<LedSnapshot.Content> loadContent() {
    Future<RowSet<Row>> items = pool.query("SELECT i.*, v.text FROM led_item i "
        + "JOIN led_item_version v ON v.item_id = i.id AND v.version = i.version "
        + "WHERE i.deleted_at IS NULL ORDER BY i.id").execute();
    Future<RowSet<Row>> libs = pool.query("SELECT id, name FROM led_library").execute();
    Future<RowSet<Row>> assigns = pool.query("SELECT * FROM led_assignment ORDER BY id").execute();
    return Future.all(items, libs, assigns).map(all -> {
      List<Item> targeted = new ArrayList<>();
      Map<Long, List<Item>> rules = new HashMap<>();
      for (Row r : items.result()) {
        Item it = item(r);
        if (it.libraryId != null) {
          rules.computeIfAbsent(it.libraryId, k -> new ArrayList<>()).add(it);
        } else if (!it.targetGroups.isEmpty() || !it.targetScreens.isEmpty()) {
          targeted.add(it);
        }
      }
      Map<Long, String> names = new HashMap<>();
      libs.result().forEach(r -> names.put(r.getLong("id"), r.getString("name")));
      Map<Long, List<Assignment>> byGroup = new HashMap<>();
      for (Row r : assigns.result()) {
        String dp = r.getString("daypart");
        Assignment a = new Assignment(r.getLong("id"), r.getLong("library_id"), r.getLong("group_id"),
            r.getLocalDate("start_date"), r.getInteger("rules_per_day"), dp == null ? null : Daypart.parse(dp));
        byGroup.computeIfAbsent(a.groupId, k -> new ArrayList<>()).add(a);
      }
      return new LedSnapshot.Content(targeted, rules, names, byGroup);
    });
  }

  private static Item item(Row r) {
    List<Daypart> parts = Daypart.parseAll(Arrays.asList(r.getArrayOfStrings("dayparts")));
    int mask = 0;
    for (Integer d : r.getArrayOfIntegers("weekdays")) {
      mask |= 1 << d;
    }
    Schedule sched = new Schedule(parts, mask, instant(r.getOffsetDateTime("valid_from")), instant(r.getOffsetDateTime("valid_until")));
    return new Item(r.getLong("id"), r.getLong("library_id"), r.getString("category"), r.getString("effect"),
        r.getInteger("speed"), r.getInteger("dwell_s"), r.getString("colour"), r.getInteger("font_size"),
        r.getInteger("priority"), sched, Set.of(r.getArrayOfLongs("target_group_ids")),
        Set.of(r.getArrayOfLongs("target_screen_ids")), r.getInteger("version"), r.getString("content_hash"), r.getString("text"));
  }

  public Future<LedSnapshot.Alerts> loadAlerts() {
    return pool.query("SELECT a.id, a.text, a.content_hash, a.created_at, a.expires_at, "
            + "coalesce(array_agg(s.screen_id) FILTER (WHERE s.screen_id IS NOT NULL), '{}') AS screens "
            + "FROM led_alert a LEFT JOIN led_alert_screen s ON s.alert_id = a.id "
            + "WHERE a.cleared_at IS NULL AND a.expires_at > now() GROUP BY a.id ORDER BY a.id DESC")
        .execute().map(rows -> {
          List<Alert> live = new ArrayList<>();
          for (Row r : rows) {
            live.add(new Alert(r.getLong("id"), r.getString("text"), r.getString("content_hash"),
                r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("expires_at").toInstant(),
                Set.of(r.getArrayOfLongs("screens"))));
          }
          return new LedSnapshot.Alerts(live);
        });
  }

  // ---------------------------------------------------------------- screens and groups

  /** Enrols a controller by hardware key; a key seen before answers its existing screen. */
  public Future<JsonObject> enroll(String key, String name, int width, int height, String colourMode, String zone, int pollS) {
    return pool.withTransaction(c -> c.preparedQuery("INSERT INTO led_screen (hardware_key, name, width_px, height_px, "
                + "colour_mode, time_zone, poll_interval_s) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                + "ON CONFLICT (hardware_key) DO NOTHING RETURNING id, status")
            .execute(Tuple.of(key, name, width, height, colourMode, zone, pollS))
            .compose(rows -> rows.size() == 1
                ? notify(c, "screens").map(v -> screenRef(rows.iterator().next(), true))
                : c.preparedQuery("SELECT id, status FROM led_screen WHERE hardware_key = $1").execute(Tuple.of(key))
                    .map(again -> screenRef(again.iterator().next(), false))));
  }

  private static JsonObject screenRef(Row r, boolean created) {
    return new JsonObject().put("screen_id", r.getLong("id")).put("status", r.getString("status")).put("created", created);
  }

  /**
   * Stores a new secret digest when the screen is in one of the allowed states, activating it.
   * 404 when there is no such screen, 409 when its state does not allow it.
   */
  public Future<Void> setSecret(long id, byte[] sha256, Set<String> allowedFrom) {
    return pool.withTransaction(c -> c.preparedQuery("SELECT status FROM led_screen WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id)).compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Problem.notFound("no screen " + id));
          }
          String status = rows.iterator().next().getString("status");
          if (!allowedFrom.contains(status)) {
            return Future.failedFuture(Problem.conflict("screen " + id + " is " + status));
          }
          return c.preparedQuery("UPDATE led_screen SET secret_sha256 = $2, status = 'active', "
                  + "approved_at = coalesce(approved_at, now()) WHERE id = $1")
              .execute(Tuple.of(id, Buffer.buffer(sha256))).compose(v -> notify(c, "screens"));
        }));
  }

  public Future<Boolean> revoke(long id) {
    return pool.withTransaction(c -> c.preparedQuery("UPDATE led_screen SET status = 'revoked', secret_sha256 = NULL, "
            + "revoked_at = now() WHERE id = $1 AND status <> 'revoked'").execute(Tuple.of(id))
        .compose(rows -> rows.rowCount() == 1 ? notify(c, "screens").map(true) : Future.succeededFuture(false)));
  }

  public Future<Boolean> updateScreen(long id, String name, String zone, Integer pollS, List<Long> groupIds) {
    return pool.withTransaction(c -> c.preparedQuery("UPDATE led_screen SET name = coalesce($2, name), "
            + "time_zone = coalesce($3, time_zone), poll_interval_s = coalesce($4, poll_interval_s) WHERE id = $1")
        .execute(Tuple.of(id, name, zone, pollS)).compose(rows -> {
          if (rows.rowCount() == 0) {
            return Future.succeededFuture(false);
          }
          Future<Void> groups = groupIds == null ? Future.succeededFuture()
              : requireExisting(c, "led_group", groupIds, "target group")
                  .compose(v -> c.preparedQuery("DELETE FROM led_screen_group WHERE screen_id = $1").execute(Tuple.of(id)))
                  .compose(v -> c.preparedQuery("INSERT INTO led_screen_group (screen_id, group_id) "
                      + "SELECT $1, g FROM unnest($2::bigint[]) g").execute(Tuple.tuple().addValue(id).addValue(groupIds.toArray(new Long[0]))))
                  .mapEmpty();
          return groups.compose(v -> notify(c, "screens")).map(true);
        }));
  }

  /** 422 naming the ids that do not exist in the table (led_group or led_screen). */
  static Future<Void> requireExisting(SqlClient c, String table, List<Long> ids, String what) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return c.preparedQuery("SELECT coalesce(array_agg(x ORDER BY x), '{}') AS missing FROM unnest($1::bigint[]) x "
            + "WHERE NOT EXISTS (SELECT 1 FROM " + table + " t WHERE t.id = x)")
        .execute(Tuple.tuple().addValue(ids.toArray(new Long[0]))).compose(rows -> {
          Long[] missing = rows.iterator().next().getArrayOfLongs("missing");
          return missing.length == 0 ? Future.succeededFuture()
              : Future.failedFuture(Problem.unprocessable("unknown " + what + " ids: " + Arrays.toString(missing)));
        });
  }

  public Future<JsonArray> listScreens(String status, Long groupId) {
    return pool.preparedQuery("SELECT s.id, s.name, s.hardware_key, s.width_px, s.height_px, s.colour_mode, s.time_zone, "
            + "s.status, s.poll_interval_s, s.enrolled_at, s.approved_at, s.revoked_at, s.last_seen_at, "
            + "coalesce(array_agg(g.group_id ORDER BY g.group_id) FILTER (WHERE g.group_id IS NOT NULL), '{}') AS groups "
            + "FROM led_screen s LEFT JOIN led_screen_group g ON g.screen_id = s.id "
            + "WHERE ($1::text IS NULL OR s.status = $1) "
            + "AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM led_screen_group x WHERE x.screen_id = s.id AND x.group_id = $2)) "
            + "GROUP BY s.id ORDER BY s.id")
        .execute(Tuple.of(status, groupId)).map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject().put("id", r.getLong("id")).put("name", r.getString("name"))
                .put("hardware_key", r.getString("hardware_key")).put("width_px", r.getInteger("width_px"))
                .put("height_px", r.getInteger("height_px")).put("colour_mode", r.getString("colour_mode"))
                .put("time_zone", r.getString("time_zone")).put("status", r.getString("status"))
                .put("poll_interval_s", r.getInteger("poll_interval_s"))
                .put("groups", new JsonArray(Arrays.asList((Object[]) r.getArrayOfLongs("groups"))))
                .put("enrolled_at", iso(r.getOffsetDateTime("enrolled_at"))).put("approved_at", iso(r.getOffsetDateTime("approved_at")))
                .put("revoked_at", iso(r.getOffsetDateTime("revoked_at"))).put("last_seen_at", iso(r.getOffsetDateTime("last_seen_at"))));
          }
          return out;
        });
  }

  public Future<Long> createGroup(String name, String kind) {
    return pool.preparedQuery("INSERT INTO led_group (name, kind) VALUES ($1, $2) RETURNING id")
        .execute(Tuple.of(name, kind)).map(rows -> rows.iterator().next().getLong("id"))
        .recover(err -> Future.failedFuture(uniqueViolation(err) ? Problem.conflict("a group named '" + name + "' exists") : err));
  }

  public Future<JsonArray> listGroups() {
    return pool.query("SELECT g.id, g.name, g.kind, count(sg.screen_id) AS screens FROM led_group g "
        + "LEFT JOIN led_screen_group sg ON sg.group_id = g.id GROUP BY g.id ORDER BY g.id").execute().map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("id", r.getLong("id")).put("name", r.getString("name"))
              .put("kind", r.getString("kind")).put("screens", r.getLong("screens"))));
          return out;
        });
  }

  /** Active screens with their stored last-seen time and poll interval, for offline detection. */
  public Future<RowSet<Row>> activeScreensSeen() {
    return pool.query("SELECT id, name, last_seen_at, poll_interval_s FROM led_screen WHERE status = 'active' ORDER BY id").execute();
  }

  public Future<Map<String, Long>> countByStatus() {
    return pool.query("SELECT status, count(*) AS n FROM led_screen GROUP BY status").execute().map(rows -> {
      Map<String, Long> m = new HashMap<>();
      rows.forEach(r -> m.put(r.getString("status"), r.getLong("n")));
      return m;
    });
  }

  /** Writes coalesced last-seen times; never moves a time backwards. */
  public Future<Void> flushLastSeen(Long[] ids, OffsetDateTime[] times) {
    return pool.preparedQuery("UPDATE led_screen s SET last_seen_at = greatest(s.last_seen_at, t.seen) "
            + "FROM unnest($1::bigint[], $2::timestamptz[]) AS t(id, seen) WHERE s.id = t.id")
        .execute(Tuple.tuple().addValue(ids).addValue(times)).mapEmpty();
  }

  static boolean uniqueViolation(Throwable err) {
    return err instanceof PgException && "23505".equals(((PgException) err).getSqlState());
  }

  static String iso(OffsetDateTime t) {
    return t == null ? null : t.toString();
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  static OffsetDateTime odt(Instant t) {
    return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  static Long[] longs(Set<Long> s) {
    return new LinkedHashSet<>(s).toArray(new Long[0]);
  }
}
