package org.qingfeng.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** All SQL about the audit trail. Rows are only ever inserted. */
public final class AuditLog {
  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> record(AuditEntry e) {
    return pool.preparedQuery(
            "INSERT INTO audit_log (actor_id, actor_name, actor_role, action, target, outcome, request_id, remote) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(Tuple.tuple()
            .addValue(e.actorId).addValue(e.actorName).addValue(e.actorRole)
            .addValue(e.action).addValue(e.target).addValue(e.outcome)
            .addValue(e.requestId).addValue(e.remote))
        .mapEmpty();
  }

  /** Newest first; {@code before} is the cursor (an id), null for the first page. */
  public Future<JsonObject> page(Long before, int limit, Long actorId) {
    return pool.preparedQuery(
            "SELECT id, at, actor_id, actor_name, actor_role, action, target, outcome, request_id FROM audit_log "
                + "WHERE ($1::bigint IS NULL OR id < $1) AND ($2::bigint IS NULL OR actor_id = $2) "
                + "ORDER BY id DESC LIMIT $3")
        .execute(Tuple.of(before, actorId, limit + 1))
        .map(rows -> {
          JsonArray items = new JsonArray();
          Long next = null;
          int n = 0;
          for (Row r : rows) {
            if (n++ == limit) {
              next = items.getJsonObject(items.size() - 1).getLong("id");
              break;
            }
            items.add(new JsonObject()
                .put("id", r.getLong("id"))
                .put("at", r.getOffsetDateTime("at").toString())
                .put("actor", new JsonObject()
                    .put("token_id", r.getLong("actor_id"))
                    .put("name", r.getString("actor_name"))
                    .put("role", r.getString("actor_role")))
                .put("action", r.getString("action"))
                .put("target", r.getString("target"))
                .put("outcome", r.getInteger("outcome"))
                .put("request_id", r.getString("request_id")));
          }
          return new JsonObject().put("items", items).put("next_cursor", next == null ? null : Long.toString(next));
        });
  }
}
