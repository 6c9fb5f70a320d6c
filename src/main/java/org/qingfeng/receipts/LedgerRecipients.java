package org.qingfeng.receipts;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Phone numbers from the campaign ledger's {@code message} table (id BIGSERIAL, phone TEXT), when
 * that table exists in this database; without it (the receipts branch alone) every number is
 * absent. Campaign messages carry their ledger id as text, so only numeric ids are looked up.
 */
public final class LedgerRecipients implements RecipientDirectory {
  private final Pool pool;
  private Future<Boolean> ledgerPresent;

  public LedgerRecipients(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Map<String, String>> phones(List<String> messageIds) {
    List<Long> ids = new ArrayList<>();
    for (String id : messageIds) {
      if (id.matches("[1-9][0-9]{0,17}")) {
        ids.add(Long.parseLong(id));
      }
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return present().compose(present -> !present ? Future.succeededFuture(Map.<String, String>of())
        : pool.preparedQuery("SELECT id::text, phone FROM message WHERE id = ANY($1::int8[])")
            .execute(Tuple.of(ids.toArray(new Long[0])))
            .map(rows -> {
              Map<String, String> out = new HashMap<>();
              rows.forEach(r -> out.put(r.getString(0), r.getString(1)));
              return out;
            }));
  }

  private synchronized Future<Boolean> present() {
    if (ledgerPresent == null || ledgerPresent.failed()) {
      ledgerPresent = pool.query("SELECT count(*) = 2 FROM information_schema.columns WHERE table_schema = current_schema()"
              + " AND table_name = 'message' AND column_name IN ('id', 'phone')").execute()
          .map(rows -> rows.iterator().next().getBoolean(0));
    }
    return ledgerPresent;
  }
}
