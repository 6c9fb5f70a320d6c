package org.qingfeng.contacts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * All SQL about the opt-out list (table {@code opt_out}, V4_1): numbers (E.164) that asked not
 * to be messaged. Writes are idempotent (a number is on the list once; the first source stays).
 * The campaign expander excludes opted-out numbers with {@link #notOptedOut(String)} inside its
 * audience query, or asks {@link #optedOut(Collection)} for a page of numbers.
 */
public final class OptOutStore {
  public static final String SOURCE_API = "api";
  public static final String SOURCE_MO = "mo";
  public static final String SOURCE_IMPORT = "import";

  private final Pool pool;

  public OptOutStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * SQL condition that is true when the number in {@code phoneColumn} (an E.164 text column or
   * expression, e.g. {@code "c.phone"}) is not on the opt-out list. Uses the opt_out primary key.
   * Example: {@code "SELECT c.id FROM contact c WHERE " + OptOutStore.notOptedOut("c.phone")}.
   */
  public static String notOptedOut(String phoneColumn) {
    if (!phoneColumn.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
      throw new IllegalArgumentException("not a column reference: " + phoneColumn);
    }
    return "NOT EXISTS (SELECT 1 FROM opt_out oo WHERE oo.phone = " + phoneColumn + ")";
  }

  public Future<Boolean> isOptedOut(String e164) {
    return pool.preparedQuery("SELECT 1 FROM opt_out WHERE phone = $1")
        .execute(Tuple.of(e164))
        .map(rows -> rows.size() > 0);
  }

  /** Which of these E.164 numbers are opted out (one query for a whole page). */
  public Future<Set<String>> optedOut(Collection<String> e164s) {
    if (e164s.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery("SELECT phone FROM opt_out WHERE phone = ANY($1)")
        .execute(Tuple.of(e164s.toArray(new String[0])))
        .map(rows -> {
          Set<String> out = new HashSet<>();
          rows.forEach(r -> out.add(r.getString("phone")));
          return out;
        });
  }

  /** Adds one number; true when it was not on the list before. */
  public Future<Boolean> add(String e164, String source, String detail) {
    return pool.preparedQuery("INSERT INTO opt_out (phone, source, detail) VALUES ($1, $2, $3) ON CONFLICT (phone) DO NOTHING")
        .execute(Tuple.of(e164, source, detail))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Adds many numbers in one statement (idempotent); returns how many were new. Numbers must be distinct. */
  public Future<Integer> addAll(List<String> e164s, String source, List<String> details) {
    if (e164s.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return pool.preparedQuery("INSERT INTO opt_out (phone, source, detail) "
            + "SELECT p, $2, d FROM unnest($1::text[], $3::text[]) AS t(p, d) ON CONFLICT (phone) DO NOTHING")
        .execute(Tuple.of(e164s.toArray(new String[0]), source, details.toArray(new String[0])))
        .map(rows -> rows.rowCount());
  }

  /** True when the number was on the list. */
  public Future<Boolean> remove(String e164) {
    return pool.preparedQuery("DELETE FROM opt_out WHERE phone = $1")
        .execute(Tuple.of(e164))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Entries in phone order after {@code afterPhone} (keyset) or, when that is null, after
   * skipping {@code offset} entries; at most {@code limit}.
   */
  public Future<List<JsonObject>> page(String afterPhone, long offset, int limit) {
    return pool.preparedQuery("SELECT phone, source, detail, created_at FROM opt_out "
            + "WHERE ($1::text IS NULL OR phone > $1) ORDER BY phone OFFSET $2 LIMIT $3")
        .execute(Tuple.of(afterPhone, offset, limit))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new JsonObject()
                .put("phone", r.getString("phone"))
                .put("source", r.getString("source"))
                .put("reason", r.getString("detail"))
                .put("created_at", r.getOffsetDateTime("created_at").toInstant().toString()));
          }
          return out;
        });
  }
}
