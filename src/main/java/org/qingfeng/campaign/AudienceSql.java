package org.qingfeng.campaign;

import io.vertx.sqlclient.Tuple;

/**
 * The audience as a parameterised WHERE clause over {@code contact c}, keyset-paged by id:
 * $1 cursor (last contact id seen), $2 explicit ids, $3 tags any, $4 tags all, $5 units,
 * $6 townships, $7 whether any filter is given. Explicit ids are added to the filtered set.
 */
final class AudienceSql {
  static final String FILTER = "c.id > $1 AND (($2::bigint[] IS NOT NULL AND c.id = ANY($2)) OR ($7::boolean "
      + "AND ($3::text[] IS NULL OR c.tags && $3) AND ($4::text[] IS NULL OR c.tags @> $4) "
      + "AND ($5::text[] IS NULL OR c.unit = ANY($5)) AND ($6::text[] IS NULL OR c.township = ANY($6))))";

  private AudienceSql() {
  }

  static Tuple params(Audience a, long cursor) {
    return Tuple.tuple().addValue(cursor).addValue(a.contactIds).addValue(a.tagsAny).addValue(a.tagsAll)
        .addValue(a.units).addValue(a.townships).addValue(a.hasFilter());
  }
}
