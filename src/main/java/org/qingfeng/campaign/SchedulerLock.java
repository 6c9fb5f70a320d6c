package org.qingfeng.campaign;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;

/**
 * "Exactly one scheduler": a Postgres session advisory lock held on a dedicated connection for
 * as long as this instance is active. If the connection drops, the lock is gone with it, and
 * {@code onLost} runs so the instance stops acting as the scheduler.
 */
final class SchedulerLock {
  /** "qingfeng scheduler" as a lock key; scoped to the database. */
  static final long KEY = 0x7166_7363_6865_6475L;

  private final Vertx vertx;
  private final PgConnectOptions options;
  private PgConnection conn;

  SchedulerLock(Vertx vertx, PgConnectOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** True when this instance now holds the lock; {@code onLost} runs if the holding connection later closes. */
  Future<Boolean> tryAcquire(Runnable onLost) {
    return PgConnection.connect(vertx, new PgConnectOptions(options).addProperty("application_name", "qingfeng-scheduler"))
        .compose(c -> c.preparedQuery("SELECT pg_try_advisory_lock($1)").execute(Tuple.of(KEY))
            .map(rows -> rows.iterator().next().getBoolean(0))
            .compose(held -> {
              if (!held) {
                return c.close().map(false);
              }
              conn = c;
              c.closeHandler(v -> {
                if (conn == c) {
                  conn = null;
                  onLost.run();
                }
              });
              return Future.succeededFuture(true);
            }, err -> c.close().transform(x -> Future.failedFuture(err))));
  }

  boolean held() {
    return conn != null;
  }

  Future<Void> release() {
    PgConnection c = conn;
    conn = null;
    return c == null ? Future.succeededFuture() : c.close();
  }
}
