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
   * by this import, and a later row for it merges (tags add up) instead of replacing. Counts are
   * taken against the snapshot before the statement ({@code prior}): new contacts, contacts
   * that existed before the import, and rows merged into a contact this import already wrote.
   */
  static final String UPSERT =
      "WITH input AS ("
          + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])"
          + " AS t(phone, name, unit, township, tags)),"
          + " prior AS (SELECT c.phone, c.updated_at = now() AS touched FROM contact c JOIN input i ON i.phone = c.phone),"
          + " up AS ("
          + " INSERT INTO contact AS c (phone, name, unit, township, tags)"
          + " SELECT phone, name, unit, township, string_to_array(tags, chr(31)) FROM input"
          + " ON CONFLICT (phone) DO UPDATE SET"
          + " name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE c.name END,"
          + " unit = CASE WHEN EXCLUDED.unit <> '' THEN EXCLUDED.unit ELSE c.unit END,"
          + " township = CASE WHEN EXCLUDED.township <> '' THEN EXCLUDED.township ELSE c.township END,"
          + " tags = CASE WHEN c.updated_at = now() THEN ARRAY(SELECT x.t FROM unnest(c.tags || EXCLUDED.tags)"
          + "   WITH ORDINALITY AS x(t, o) GROUP BY x.t ORDER BY min(x.o))"
          + "  WHEN cardinality(EXCLUDED.tags) > 0 THEN EXCLUDED.tags ELSE c.tags END,"
          + " updated_at = now()"
          + " RETURNING c.phone, (c.xmax = 0) AS inserted)"
          + " SELECT count(*) FILTER (WHERE up.inserted) AS imported,"
          + " count(*) FILTER (WHERE NOT up.inserted AND NOT p.touched) AS updated,"
          + " count(*) FILTER (WHERE NOT up.inserted AND p.touched) AS merged"
          + " FROM up LEFT JOIN prior p ON p.phone = up.phone";

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
