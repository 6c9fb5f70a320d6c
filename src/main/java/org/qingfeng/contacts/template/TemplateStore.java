package org.qingfeng.contacts.template;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL about templates (table {@code template}, V4_2). */
public final class TemplateStore {
  private final Pool pool;

  public TemplateStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Template> insert(String name, String body, String signature, Long createdBy) {
    return pool.preparedQuery("INSERT INTO template (name, body, signature, created_by) VALUES ($1, $2, $3, $4) "
            + "RETURNING " + Template.COLUMNS)
        .execute(Tuple.of(name, body, signature, createdBy))
        .map(rows -> Template.fromRow(rows.iterator().next()));
  }

  /** Empty when there is no such template. */
  public Future<Optional<Template>> update(long id, String name, String body, String signature) {
    return pool.preparedQuery("UPDATE template SET name = $2, body = $3, signature = $4, updated_at = now() "
            + "WHERE id = $1 RETURNING " + Template.COLUMNS)
        .execute(Tuple.of(id, name, body, signature))
        .map(rows -> rows.size() == 0 ? Optional.<Template>empty() : Optional.of(Template.fromRow(rows.iterator().next())));
  }

  public Future<Optional<Template>> get(long id) {
    return pool.preparedQuery("SELECT " + Template.COLUMNS + " FROM template WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.<Template>empty() : Optional.of(Template.fromRow(rows.iterator().next())));
  }

  public Future<List<Template>> page(Long afterId, int limit) {
    return pool.preparedQuery("SELECT " + Template.COLUMNS + " FROM template WHERE ($1::bigint IS NULL OR id > $1) ORDER BY id LIMIT $2")
        .execute(Tuple.of(afterId, limit))
        .map(rows -> {
          List<Template> out = new ArrayList<>();
          rows.forEach(r -> out.add(Template.fromRow(r)));
          return out;
        });
  }

  /** False when there was no such template. */
  public Future<Boolean> delete(long id) {
    return pool.preparedQuery("DELETE FROM template WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 1);
  }
}
