package org.qingfeng.led;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.qingfeng.http.Problem;

/** LED SQL about content items (with every version), rule libraries, rotation assignments and alerts. */
public final class LedContentStore {
  private final Pool pool;

  public LedContentStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Long> createItem(ItemInput in) {
    return pool.withTransaction(c -> LedStore.requireExisting(c, "led_group", in.targetGroups, "target group")
        .compose(v -> LedStore.requireExisting(c, "led_screen", in.targetScreens, "target screen"))
        .compose(v -> c.preparedQuery("INSERT INTO led_item (category, effect, speed, dwell_s, colour, font_size, "
                + "valid_from, valid_until, dayparts, weekdays, priority, target_group_ids, target_screen_ids, content_hash) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id")
            .execute(Tuple.tuple(List.of(in.category, in.effect, in.speed, in.dwellS, in.colour, in.fontSize)).addValue(LedStore.odt(in.validFrom))
                .addValue(LedStore.odt(in.validUntil)).addValue(in.dayparts.toArray(new String[0]))
                .addValue(in.weekdays.toArray(new Integer[0])).addValue(in.priority)
                .addValue(in.targetGroups.toArray(new Long[0])).addValue(in.targetScreens.toArray(new Long[0]))
                .addValue(in.contentHash)))
        .map(rows -> rows.iterator().next().getLong("id"))
        .compose(id -> c.preparedQuery("INSERT INTO led_item_version (item_id, version, text, content_hash) VALUES ($1, 1, $2, $3)")
            .execute(Tuple.of(id, in.text, in.contentHash)).compose(v -> LedStore.notify(c, "content")).map(id)));
  }

  /** Changes the given fields; a new text becomes a new version (old ones are kept). False: no such item. */
  public Future<Boolean> patchItem(long id, ItemInput in) {
    return pool.withTransaction(c -> c.preparedQuery("SELECT version, content_hash, valid_from, valid_until "
        + "FROM led_item WHERE id = $1 AND deleted_at IS NULL FOR UPDATE").execute(Tuple.of(id)).compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(false);
          }
          Row cur = rows.iterator().next();
          Instant from = in.validFromGiven ? in.validFrom : LedStore.instant(cur.getOffsetDateTime("valid_from"));
          Instant until = in.validUntilGiven ? in.validUntil : LedStore.instant(cur.getOffsetDateTime("valid_until"));
          if (from != null && until != null && !until.isAfter(from)) {
            return Future.failedFuture(Problem.unprocessable("'valid_until' must be after 'valid_from'"));
          }
          boolean newText = in.text != null && !in.contentHash.equals(cur.getString("content_hash"));
          int version = cur.getInteger("version") + (newText ? 1 : 0);
          Tuple t = Tuple.tuple(List.of(id, version, newText ? in.contentHash : cur.getString("content_hash")))
              .addValue(in.category).addValue(in.effect).addValue(in.speed).addValue(in.dwellS).addValue(in.colour)
              .addValue(in.fontSize).addValue(LedStore.odt(from)).addValue(LedStore.odt(until))
              .addValue(in.dayparts == null ? null : in.dayparts.toArray(new String[0]))
              .addValue(in.weekdays == null ? null : in.weekdays.toArray(new Integer[0])).addValue(in.priority)
              .addValue(in.targetGroups == null ? null : in.targetGroups.toArray(new Long[0]))
              .addValue(in.targetScreens == null ? null : in.targetScreens.toArray(new Long[0]));
          return LedStore.requireExisting(c, "led_group", in.targetGroups == null ? List.of() : in.targetGroups, "target group")
              .compose(v -> LedStore.requireExisting(c, "led_screen", in.targetScreens == null ? List.of() : in.targetScreens, "target screen"))
              .compose(v -> c.preparedQuery("UPDATE led_item SET version = $2, content_hash = $3, "
                  + "category = coalesce($4, category), effect = coalesce($5, effect), speed = coalesce($6, speed), "
                  + "dwell_s = coalesce($7, dwell_s), colour = coalesce($8, colour), font_size = coalesce($9, font_size), "
                  + "valid_from = $10, valid_until = $11, dayparts = coalesce($12::text[], dayparts), "
                  + "weekdays = coalesce($13::int[], weekdays), priority = coalesce($14, priority), "
                  + "target_group_ids = coalesce($15::bigint[], target_group_ids), "
                  + "target_screen_ids = coalesce($16::bigint[], target_screen_ids), updated_at = now() WHERE id = $1").execute(t))
              .compose(v -> !newText ? Future.succeededFuture()
                  : c.preparedQuery("INSERT INTO led_item_version (item_id, version, text, content_hash) VALUES ($1, $2, $3, $4)")
                      .execute(Tuple.of(id, version, in.text, in.contentHash)))
              .compose(v -> LedStore.notify(c, "content")).map(true);
        }))
        .recover(err -> Future.failedFuture(LedStore.uniqueViolation(err)
            ? Problem.conflict("the library already holds this text") : err));
  }

  /** Retires an item: it stops showing; its versions stay for reports. */
  public Future<Boolean> retireItem(long id) {
    return pool.withTransaction(c -> c.preparedQuery("UPDATE led_item SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL")
        .execute(Tuple.of(id)).compose(r -> r.rowCount() == 0 ? Future.succeededFuture(false)
            : LedStore.notify(c, "content").map(true)));
  }

  public Future<JsonObject> item(long id) {
    return pool.preparedQuery("SELECT i.*, v.version AS v, v.text, v.content_hash AS h, v.created_at AS at FROM led_item i "
        + "JOIN led_item_version v ON v.item_id = i.id WHERE i.id = $1 ORDER BY v.version").execute(Tuple.of(id)).map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          JsonArray versions = new JsonArray();
          JsonObject out = null;
          for (Row r : rows) {
            versions.add(new JsonObject().put("version", r.getInteger("v")).put("text", r.getString("text"))
                .put("content_hash", r.getString("h")).put("created_at", LedStore.iso(r.getOffsetDateTime("at"))));
            if (r.getInteger("v").equals(r.getInteger("version"))) {
              out = itemJson(r);
            }
          }
          return out.put("versions", versions);
        });
  }

  public Future<JsonObject> listItems(Long libraryId, long after, int limit) {
    return pool.preparedQuery("SELECT i.*, v.text FROM led_item i JOIN led_item_version v ON v.item_id = i.id AND v.version = i.version "
            + "WHERE i.deleted_at IS NULL AND i.id > $1 AND ($2::bigint IS NULL OR i.library_id = $2) ORDER BY i.id LIMIT $3")
        .execute(Tuple.of(after, libraryId, limit)).map(rows -> {
          JsonArray items = new JsonArray();
          long last = -1;
          for (Row r : rows) {
            items.add(itemJson(r));
            last = r.getLong("id");
          }
          return new JsonObject().put("items", items).put("next_cursor", rows.size() == limit ? String.valueOf(last) : null);
        });
  }

  private static JsonObject itemJson(Row r) {
    return new JsonObject().put("id", r.getLong("id")).put("library_id", r.getLong("library_id"))
        .put("text", r.getString("text")).put("version", r.getInteger("version")).put("content_hash", r.getString("content_hash"))
        .put("category", r.getString("category")).put("effect", r.getString("effect")).put("speed", r.getInteger("speed"))
        .put("dwell_s", r.getInteger("dwell_s")).put("colour", r.getString("colour")).put("font_size", r.getInteger("font_size"))
        .put("valid_from", LedStore.iso(r.getOffsetDateTime("valid_from"))).put("valid_until", LedStore.iso(r.getOffsetDateTime("valid_until")))
        .put("dayparts", new JsonArray(Arrays.asList((Object[]) r.getArrayOfStrings("dayparts"))))
        .put("weekdays", new JsonArray(Arrays.asList((Object[]) r.getArrayOfIntegers("weekdays"))))
        .put("priority", r.getInteger("priority"))
        .put("target_groups", new JsonArray(Arrays.asList((Object[]) r.getArrayOfLongs("target_group_ids"))))
        .put("target_screens", new JsonArray(Arrays.asList((Object[]) r.getArrayOfLongs("target_screen_ids"))));
  }

  // ---------------------------------------------------------------- libraries and rotation

  /** The library's id, creating it when new (inside the import's transaction). */
  public static Future<Long> libraryId(SqlClient c, String name) {
    return c.preparedQuery("INSERT INTO led_library (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id")
        .execute(Tuple.of(name)).map(rows -> rows.iterator().next().getLong("id"));
  }

  /** Adds rules (distinct texts) to a library; texts it already holds are skipped. Returns how many were added. */
  public static Future<Integer> insertRules(SqlConnection c, long libraryId, List<String> texts, List<String> hashes,
      String category, int dwellS, String effect) {
    return c.preparedQuery("WITH input AS (SELECT * FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(text, hash, ord)), "
            + "ins AS (INSERT INTO led_item (library_id, category, effect, speed, dwell_s, colour, font_size, content_hash) "
            + "SELECT $1, $4, $6, 5, $5, '#ff0000', 16, hash FROM input ORDER BY ord "
            + "ON CONFLICT DO NOTHING RETURNING id, content_hash) "
            + "INSERT INTO led_item_version (item_id, version, text, content_hash) "
            + "SELECT ins.id, 1, input.text, ins.content_hash FROM ins JOIN input ON input.hash = ins.content_hash")
        .execute(Tuple.of(libraryId, texts.toArray(new String[0]), hashes.toArray(new String[0]), category, dwellS, effect))
        .map(rows -> rows.rowCount());
  }

  public Future<JsonArray> listLibraries() {
    return pool.query("SELECT l.id, l.name, l.created_at, count(i.id) AS rules FROM led_library l "
        + "LEFT JOIN led_item i ON i.library_id = l.id AND i.deleted_at IS NULL GROUP BY l.id ORDER BY l.id").execute().map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("id", r.getLong("id")).put("name", r.getString("name"))
              .put("rules", r.getLong("rules")).put("created_at", LedStore.iso(r.getOffsetDateTime("created_at")))));
          return out;
        });
  }

  /** Rolls a library on a group (replacing an earlier assignment of the same pair). */
  public Future<Long> assign(long libraryId, long groupId, LocalDate start, Integer perDay, String daypart) {
    return pool.withTransaction(c -> LedStore.requireExisting(c, "led_group", List.of(groupId), "group")
        .compose(v -> LedStore.requireExisting(c, "led_library", List.of(libraryId), "library"))
        .compose(v -> c.preparedQuery("INSERT INTO led_assignment (library_id, group_id, start_date, rules_per_day, daypart) "
                + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (library_id, group_id) DO UPDATE SET start_date = excluded.start_date, "
                + "rules_per_day = excluded.rules_per_day, daypart = excluded.daypart RETURNING id")
            .execute(Tuple.of(libraryId, groupId, start, perDay, daypart)))
        .compose(rows -> LedStore.notify(c, "content").map(rows.iterator().next().getLong("id"))));
  }

  public Future<Boolean> unassign(long libraryId, long groupId) {
    return pool.withTransaction(c -> c.preparedQuery("DELETE FROM led_assignment WHERE library_id = $1 AND group_id = $2")
        .execute(Tuple.of(libraryId, groupId)).compose(r -> r.rowCount() == 0 ? Future.succeededFuture(false)
            : LedStore.notify(c, "content").map(true)));
  }

  // ---------------------------------------------------------------- alerts

  /** Raises an alert on the current members of the groups and the named screens. */
  public Future<JsonObject> createAlert(String text, String hash, List<Long> groups, List<Long> screens, Instant expires, String by) {
    return pool.withTransaction(c -> LedStore.requireExisting(c, "led_group", groups, "target group")
        .compose(v -> LedStore.requireExisting(c, "led_screen", screens, "target screen"))
        .compose(v -> c.preparedQuery("INSERT INTO led_alert (text, content_hash, target_group_ids, expires_at, created_by) "
            + "VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at")
            .execute(Tuple.of(text, hash, groups.toArray(new Long[0]), LedStore.odt(expires), by)))
        .compose(rows -> {
          long id = rows.iterator().next().getLong("id");
          return c.preparedQuery("INSERT INTO led_alert_screen (alert_id, screen_id) SELECT $1, s.id FROM led_screen s "
                  + "WHERE s.status <> 'revoked' AND (s.id = ANY($3::bigint[]) OR EXISTS (SELECT 1 FROM led_screen_group g "
                  + "WHERE g.screen_id = s.id AND g.group_id = ANY($2::bigint[])))")
              .execute(Tuple.of(id, groups.toArray(new Long[0]), screens.toArray(new Long[0])))
              .compose(ins -> LedStore.notify(c, "alerts").map(new JsonObject().put("id", id).put("content_hash", hash)
                  .put("target_screens", ins.rowCount()).put("expires_at", LedStore.odt(expires).toString())));
        }));
  }

  public Future<Boolean> clearAlert(long id) {
    return pool.withTransaction(c -> c.preparedQuery("UPDATE led_alert SET cleared_at = now() WHERE id = $1 AND cleared_at IS NULL")
        .execute(Tuple.of(id)).compose(r -> r.rowCount() == 0 ? Future.succeededFuture(false)
            : LedStore.notify(c, "alerts").map(true)));
  }

  public Future<JsonArray> listAlerts(boolean liveOnly) {
    return pool.preparedQuery("SELECT a.*, (SELECT count(*) FROM led_alert_screen s WHERE s.alert_id = a.id) AS screens "
            + "FROM led_alert a WHERE NOT $1 OR (a.cleared_at IS NULL AND a.expires_at > now()) ORDER BY a.id DESC LIMIT 500")
        .execute(Tuple.of(liveOnly)).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("id", r.getLong("id")).put("text", r.getString("text"))
              .put("content_hash", r.getString("content_hash")).put("created_at", LedStore.iso(r.getOffsetDateTime("created_at")))
              .put("expires_at", LedStore.iso(r.getOffsetDateTime("expires_at"))).put("cleared_at", LedStore.iso(r.getOffsetDateTime("cleared_at")))
              .put("target_groups", new JsonArray(Arrays.asList((Object[]) r.getArrayOfLongs("target_group_ids"))))
              .put("target_screens", r.getLong("screens"))));
          return out;
        });
  }
}
