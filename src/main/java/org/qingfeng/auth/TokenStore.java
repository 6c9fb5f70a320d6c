package org.qingfeng.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;

/** All SQL about API tokens. */
public final class TokenStore {
  private final Pool pool;

  public TokenStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * One read per request. last_used_at is refreshed at most once a minute per token, in a
   * separate fire-and-forget statement, so the lookup never waits on a write.
   */
  public Future<Optional<Principal>> findActive(String token) {
    Buffer digest = Buffer.buffer(Tokens.sha256(token));
    return pool.preparedQuery(
            "SELECT id, name, role, last_used_at IS NULL OR last_used_at < now() - interval '1 minute' AS stale "
                + "FROM api_token WHERE token_sha256 = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(digest))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.<Principal>empty();
          }
          Row r = rows.iterator().next();
          if (r.getBoolean("stale")) {
            pool.preparedQuery("UPDATE api_token SET last_used_at = now() WHERE id = $1").execute(Tuple.of(r.getLong("id")));
          }
          return Role.parse(r.getString("role")).map(role -> new Principal(r.getLong("id"), r.getString("name"), role));
        });
  }

  /** Which of these token ids are still valid (not revoked): one read for any number of ids. */
  public Future<java.util.Set<Long>> activeAmong(java.util.Collection<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(java.util.Set.of());
    }
    return pool.preparedQuery("SELECT id FROM api_token WHERE id = ANY($1) AND revoked_at IS NULL")
        .execute(Tuple.of(ids.toArray(new Long[0])))
        .map(rows -> {
          java.util.Set<Long> active = new java.util.HashSet<>();
          rows.forEach(r -> active.add(r.getLong(0)));
          return active;
        });
  }

  /** Stores a token's digest; returns its id. */
  public Future<Long> insert(String name, Role role, String token, Long createdBy) {
    return pool.preparedQuery(
            "INSERT INTO api_token (name, role, token_sha256, created_by) VALUES ($1, $2, $3, $4) RETURNING id")
        .execute(Tuple.of(name, role.wireName(), Buffer.buffer(Tokens.sha256(token)), createdBy))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  /** Makes sure a token given from outside (QINGFENG_ADMIN_TOKEN) is a live admin token. */
  public Future<Void> upsertAdmin(String name, String token) {
    return pool.preparedQuery(
            "INSERT INTO api_token (name, role, token_sha256) VALUES ($1, 'admin', $2) "
                + "ON CONFLICT (token_sha256) DO UPDATE SET revoked_at = NULL, role = 'admin'")
        .execute(Tuple.of(name, Buffer.buffer(Tokens.sha256(token))))
        .mapEmpty();
  }

  public Future<Boolean> anyActiveAdmin() {
    return pool.query("SELECT 1 FROM api_token WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1")
        .execute()
        .map(rows -> rows.size() > 0);
  }

  /** Revokes; false when there is no such live token. */
  public Future<Boolean> revoke(long id) {
    return pool.preparedQuery("UPDATE api_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<JsonArray> list() {
    return pool.query("SELECT id, name, role, created_at, revoked_at, last_used_at FROM api_token ORDER BY id")
        .execute()
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            out.add(new JsonObject()
                .put("id", r.getLong("id"))
                .put("name", r.getString("name"))
                .put("role", r.getString("role"))
                .put("created_at", iso(r.getOffsetDateTime("created_at")))
                .put("revoked_at", iso(r.getOffsetDateTime("revoked_at")))
                .put("last_used_at", iso(r.getOffsetDateTime("last_used_at"))));
          }
          return out;
        });
  }

  static String iso(OffsetDateTime t) {
    return t == null ? null : t.toString();
  }
}
