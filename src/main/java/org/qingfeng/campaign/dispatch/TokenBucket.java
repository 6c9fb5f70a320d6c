package org.qingfeng.campaign.dispatch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A campaign's rate on one sender: permits spaced 1/rate apart with a burst of a tenth of a
 * second's worth. Acquiring never blocks: it completes at once or on a timer.
 */
final class TokenBucket {
  private final Vertx vertx;
  private long intervalNanos;
  private long burstNanos;
  private long nextFree = System.nanoTime();

  TokenBucket(Vertx vertx, int perSecond) {
    this.vertx = vertx;
    setRate(perSecond);
  }

  void setRate(int perSecond) {
    intervalNanos = 1_000_000_000L / Math.max(1, perSecond);
    burstNanos = intervalNanos * Math.max(1, perSecond / 10);
  }

  /** Called on the owning event loop only. */
  Future<Void> acquire() {
    long now = System.nanoTime();
    long slot = Math.max(nextFree, now - burstNanos);
    nextFree = slot + intervalNanos;
    long waitMs = (slot - now) / 1_000_000;
    if (waitMs <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(waitMs, t -> p.complete());
    return p.future();
  }
}
