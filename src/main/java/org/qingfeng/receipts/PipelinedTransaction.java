package org.qingfeng.receipts;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.function.Function;

/**
 * One transaction whose BEGIN goes out together with its first statements. {@link
 * Pool#withTransaction} waits for BEGIN's answer before the work may send anything, a round trip
 * per batch spent idle on both sides; here the work's statements queue behind BEGIN on the
 * connection at once. Commit when the work succeeded, roll back when it failed (with the work's
 * own failure reported), and give the connection back either way.
 */
final class PipelinedTransaction {
  private PipelinedTransaction() {
  }

  static <T> Future<T> run(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.getConnection().compose(conn -> {
      Future<Transaction> begun = conn.begin();
      Future<T> done;
      try {
        done = work.apply(conn);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      Future<T> result = done;
      return begun
          .compose(tx -> result.transform(ar -> ar.succeeded()
              ? tx.commit().map(ar.result())
              : tx.rollback().transform(x -> Future.<T>failedFuture(ar.cause()))))
          .eventually(conn::close);
    });
  }
}
