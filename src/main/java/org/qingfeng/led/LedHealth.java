package org.qingfeng.led;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;

/**
 * Screen health: online and offline counts and the offline screens with their last-seen time.
 * Offline = not seen for 1.1 x poll interval + grace, counting last-seen times this instance
 * holds in memory and has not flushed yet. Used by GET /api/v1/led/health and the ops stream.
 */
public final class LedHealth {
  private final LedStore store;
  private final LedRuntime runtime;

  public LedHealth(LedStore store, LedRuntime runtime) {
    this.store = store;
    this.runtime = runtime;
  }

  /**
   * @param maxListed most offline screens listed (the counts are always complete)
   */
  public Future<JsonObject> check(Instant now, int maxListed) {
    int grace = runtime.settings().offlineGraceS;
    return store.countByStatus().compose(counts -> store.activeScreensSeen().map(rows -> {
      JsonArray offline = new JsonArray();
      int online = 0;
      int offlineCount = 0;
      for (Row r : rows) {
        long id = r.getLong("id");
        Long local = runtime.unflushedSeen(id);
        Instant db = LedStore.instant(r.getOffsetDateTime("last_seen_at"));
        Instant seen = local == null ? db : (db == null || local > db.toEpochMilli() ? Instant.ofEpochMilli(local) : db);
        if (Offline.isOffline(seen, r.getInteger("poll_interval_s"), grace, now)) {
          offlineCount++;
          if (offline.size() < maxListed) {
            offline.add(new JsonObject().put("screen_id", id).put("name", r.getString("name"))
                .put("last_seen_at", seen == null ? null : seen.toString())
                .put("silent_s", seen == null ? null : (now.toEpochMilli() - seen.toEpochMilli()) / 1000));
          }
        } else {
          online++;
        }
      }
      return new JsonObject().put("active", rows.size()).put("online", online).put("offline", offlineCount)
          .put("pending", counts.getOrDefault("pending", 0L)).put("revoked", counts.getOrDefault("revoked", 0L))
          .put("long_polls_held_here", runtime.hub().size()).put("offline_screens", offline);
    }));
  }
}
