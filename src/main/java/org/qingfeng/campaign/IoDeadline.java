package org.qingfeng.campaign;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeoutException;

/**
 * A deadline for one Postgres or Kafka wait, completed on the owner's context. Unlike
 * {@code Future.timeout}, which fires on a global executor for a future without a context
 * (Future.all, a plain promise), the continuation always runs on the owner's event loop.
 */
public final class IoDeadline {
  private final Vertx vertx;
  private final Context context;
  private final long ms;

  public IoDeadline(Vertx vertx, Context context, long ms) {
    this.vertx = vertx;
    this.context = context;
    this.ms = ms;
  }

  /** Called on the owner's context. */
  public <T> Future<T> bound(Future<T> io) {
    if (io.isComplete()) {
      return io;
    }
    Promise<T> done = Promise.promise();
    long timer = vertx.setTimer(ms, t -> done.tryFail(new TimeoutException("no answer within " + ms + " ms")));
    io.onComplete(ar -> onContext(() -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        done.tryComplete(ar.result());
      } else {
        done.tryFail(ar.cause());
      }
    }));
    return done.future();
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
