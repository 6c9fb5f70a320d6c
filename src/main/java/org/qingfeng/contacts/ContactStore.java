package org.qingfeng.contacts;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL about contacts (table {@code contact}, V4_1). */
public final class ContactStore {
  /**
   * Upserts one merged batch. The import runs in one transaction, so {@code now()} is the same
   * for every statement of it: a stored row whose updated_at equals now() was already written
   * by this import, and a later row for it merges (tags add up) instead of replacing them; a row
   * whose created_at equals now() was created by this import. Per row: inserted = imported; else
   * created by this import = merged; else updated (a contact stored before this import).
   */
  static final String UPSERT =
      "WITH up AS ("
          + " INSERT INTO contact AS c (phone, name, unit, township, tags)"
          + " SELECT phone, name, unit, township, string_to_array(tags, chr(31))"
          + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(phone, name, unit, township, tags)"
          + " ON CONFLICT (phone) DO UPDATE SET"
          + " name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE c.name END,"
          + " unit = CASE WHEN EXCLUDED.unit <> '' THEN EXCLUDED.unit ELSE c.unit END,"
          + " township = CASE WHEN EXCLUDED.township <> '' THEN EXCLUDED.township ELSE c.township END,"
          + " tags = CASE WHEN c.updated_at = now() THEN ARRAY(SELECT x.t FROM unnest(c.tags || EXCLUDED.tags)"
          + "   WITH ORDINALITY AS x(t, o) GROUP BY x.t ORDER BY min(x.o))"
          + "  WHEN cardinality(EXCLUDED.tags) > 0 THEN EXCLUDED.tags ELSE c.tags END,"
          + " updated_at = now()"
          + " RETURNING (c.xmax = 0) AS inserted, (c.created_at = now()) AS created_here)"
          + " SELECT count(*) FILTER (WHERE inserted) AS imported,"
          + " count(*) FILTER (WHERE NOT inserted AND NOT created_here) AS updated,"
          + " count(*) FILTER (WHERE NOT inserted AND created_here) AS merged"
          + " FROM up";

  /** Outcome of one upsert statement. */
  public static final class UpsertCounts {
    public final long imported;
    public final long updated;
    public final long merged;

    UpsertCounts(long imported, long updated, long merged) {
      this.imported = imported;
      this.updated = updated;
      this.merged = merged;
    }
  }

  /** Filters of the contact list; null fields do not filter. */
  public static final class Filter {
    public List<String> tags = List.of();
    public String unit;
    public String township;
  }

  private final Pool pool;

  public ContactStore(Pool pool) {
    this.pool = pool;
  }

  /** Runs on the import's transaction connection. */
  Future<UpsertCounts> upsert(SqlClient tx, ImportBatch batch) {
    String[][] cols = batch.columns();
    return tx.preparedQuery(UPSERT)
        .execute(Tuple.of(cols[0], cols[1], cols[2], cols[3], cols[4]))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new UpsertCounts(r.getLong("imported"), r.getLong("updated"), r.getLong("merged"));
        });
  }

  /** One page in id order after {@code afterId} (keyset); at most {@code limit} contacts. */
  public Future<List<Contact>> page(Filter filter, Long afterId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + Contact.COLUMNS + " FROM contact WHERE true");
    Tuple args = Tuple.tuple();
    if (afterId != null) {
      args.addLong(afterId);
      sql.append(" AND id > $").append(args.size());
    }
    if (!filter.tags.isEmpty()) {
      args.addArrayOfString(filter.tags.toArray(new String[0]));
      sql.append(" AND tags @> $").append(args.size()).append("::text[]");
    }
    if (filter.unit != null) {
      args.addString(filter.unit);
      sql.append(" AND unit = $").append(args.size());
    }
    if (filter.township != null) {
      args.addString(filter.township);
      sql.append(" AND township = $").append(args.size());
    }
    args.addInteger(limit);
    sql.append(" ORDER BY id LIMIT $").append(args.size());
    return pool.preparedQuery(sql.toString()).execute(args).map(rows -> {
      List<Contact> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(Contact.fromRow(r)));
      return out;
    });
  }

  public Future<Optional<Contact>> get(long id) {
    return pool.preparedQuery("SELECT " + Contact.COLUMNS + " FROM contact WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.<Contact>empty() : Optional.of(Contact.fromRow(rows.iterator().next())));
  }

  /** Contacts with these ids (missing ids are simply absent), in id order. */
  public Future<List<Contact>> getAll(long[] ids) {
    Long[] boxed = java.util.Arrays.stream(ids).boxed().toArray(Long[]::new);
    return pool.preparedQuery("SELECT " + Contact.COLUMNS + " FROM contact WHERE id = ANY($1) ORDER BY id")
        .execute(Tuple.of(boxed))
        .map(rows -> {
          List<Contact> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(Contact.fromRow(r)));
          return out;
        });
  }

  /** False when there was no such contact. */
  public Future<Boolean> delete(long id) {
    return pool.preparedQuery("DELETE FROM contact WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Long> count() {
    return pool.query("SELECT count(*) AS n FROM contact").execute()
        .map(rows -> rows.iterator().next().getLong("n"));
  }
}
