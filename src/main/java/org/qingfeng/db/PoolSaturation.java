package org.qingfeng.db;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;

/**
 * Recognises the reactive pool's own refusals: no connection free within the pool's connection timeout, or the
 * wait queue full. They mean "overloaded, try again shortly", not a server bug, so callers answer 503 with
 * Retry-After instead of 500.
 */
public final class PoolSaturation {
  // vertx-sql-client 5.0 has no exception type of its own for these: a request queued for a connection longer than
  // the pool's connection timeout fails with a bare NoStackTraceThrowable("Timeout") (SqlConnectionPool's
  // PoolRequest), a query routed through the pool with a shared VertxException carrying the second text.
  private static final String QUEUED_TIMEOUT = "Timeout";
  private static final String ACQUIRE_TIMEOUT = "Timeout waiting for connection";

  private PoolSaturation() {
  }

  public static boolean isSaturated(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectionPoolTooBusyException) {
        return true;
      }
      if (t instanceof NoStackTraceThrowable && QUEUED_TIMEOUT.equals(t.getMessage())) {
        return true;
      }
      if (t instanceof VertxException && ACQUIRE_TIMEOUT.equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }
}
