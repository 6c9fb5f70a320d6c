package org.qingfeng.led;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's LED snapshot current: loads it at start, reloads the part Postgres
 * announces on LISTEN qingfeng_led (a change made through any instance), reloads everything
 * after a reconnect (notifications may have been missed), re-checks held polls periodically
 * (local midnight), and flushes coalesced last-seen times.
 */
public final class LedVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LedVerticle.class);
  private final LedRuntime runtime;
  private final LedStore store;
  private final PgConnectOptions pg;
  private final PlayPublisher publisher;
  private PgSubscriber subscriber;
  private boolean flushing;

  /** The verticle also owns the plays producer: it closes it on stop, after the HTTP server drained. */
  public LedVerticle(LedRuntime runtime, LedStore store, PgConnectOptions pg, PlayPublisher publisher) {
    this.runtime = runtime;
    this.store = store;
    this.pg = pg;
    this.publisher = publisher;
  }

  @Override
  public Future<?> start() {
    subscriber = PgSubscriber.subscriber(vertx, pg).reconnectPolicy(attempt -> Math.min(5_000L, 200L * (attempt + 1)));
    subscriber.channel(LedStore.CHANNEL)
        .subscribeHandler(v -> runtime.refresh(LedRuntime.PARTS))
        .handler(payload -> runtime.refresh(LedRuntime.PARTS.contains(payload) ? Set.of(payload) : LedRuntime.PARTS))
        .exceptionHandler(err -> LOG.warn("LED change listener: {}", err.toString()));
    vertx.setPeriodic(runtime.settings().lastSeenFlushMs, t -> flush());
    vertx.setPeriodic(30_000, t -> runtime.wakeWaiters());
    return runtime.refresh(LedRuntime.PARTS).compose(v -> subscriber.connect());
  }

  private Future<Void> flush() {
    if (flushing) {
      return Future.succeededFuture();
    }
    Map<Long, Long> seen = runtime.seenToFlush();
    if (seen.isEmpty()) {
      return Future.succeededFuture();
    }
    Long[] ids = new Long[seen.size()];
    OffsetDateTime[] times = new OffsetDateTime[seen.size()];
    int i = 0;
    for (Map.Entry<Long, Long> e : seen.entrySet()) {
      ids[i] = e.getKey();
      times[i++] = OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(e.getValue()), ZoneOffset.UTC);
    }
    flushing = true;
    return store.flushLastSeen(ids, times)
        .onSuccess(v -> runtime.flushed(seen))
        .onFailure(err -> LOG.warn("last-seen flush of {} screens failed, kept for the next: {}", ids.length, err.toString()))
        .onComplete(ar -> flushing = false);
  }

  @Override
  public Future<?> stop() {
    return flush().recover(err -> Future.succeededFuture())
        .compose(v -> subscriber == null ? Future.succeededFuture() : subscriber.close())
        .compose(v -> publisher == null ? Future.succeededFuture() : publisher.close().recover(err -> Future.succeededFuture()));
  }
}
