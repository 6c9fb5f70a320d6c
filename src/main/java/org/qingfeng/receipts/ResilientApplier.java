package org.qingfeng.receipts;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.pgclient.PgException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.qingfeng.sms.events.SmsEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch until it is applied. While Postgres is unreachable (or a transaction hits a
 * deadlock or serialisation failure) it retries the whole batch with exponential backoff, for as
 * long as it takes: nothing is skipped and no offset moves. When Postgres rejects the data itself,
 * the batch is split in halves to find the records at fault; a single record that still fails
 * after bounded attempts is handed back as poison for the dead-letter topic.
 */
final class ResilientApplier {
  private static final Logger log = LoggerFactory.getLogger(ResilientApplier.class);
  /** SQLSTATE classes that say nothing about the records: connection, resources, operator action, system. */
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "55", "57", "58");

  record Item(KafkaConsumerRecord<String, String> record, SmsEvent event) {
  }

  record Poison(KafkaConsumerRecord<String, String> record, String reason) {
  }

  private final Vertx vertx;
  private final BatchApplier applier;
  private final ReceiptMetrics metrics;
  private final ReceiptSinkOptions options;
  private final BooleanSupplier stopping;
  private long lastWarning;

  ResilientApplier(Vertx vertx, BatchApplier applier, ReceiptMetrics metrics, ReceiptSinkOptions options,
      BooleanSupplier stopping) {
    this.vertx = vertx;
    this.applier = applier;
    this.metrics = metrics;
    this.options = options;
    this.stopping = stopping;
  }

  /** Completes with the poison records once every other record is applied; fails only when the sink stops. */
  Future<List<Poison>> apply(List<Item> items) {
    if (items.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return attempt(items, 0, options.retryBackoffMinMs);
  }

  private Future<List<Poison>> attempt(List<Item> items, int dataFailures, long backoff) {
    long t0 = System.nanoTime();
    List<SmsEvent> events = new ArrayList<>(items.size());
    items.forEach(i -> events.add(i.event()));
    return applier.apply(events).map(result -> {
      metrics.batch(items.size(), result, System.nanoTime() - t0);
      return List.<Poison>of();
    }).recover(err -> {
      if (stopping.getAsBoolean()) {
        return Future.failedFuture(err);
      }
      if (!isDataError(err)) {
        metrics.dbRetry();
        warn("receipt batch of " + items.size() + " not applied, retrying in " + backoff + " ms: " + err);
        return delay(backoff).compose(v -> attempt(items, dataFailures, nextBackoff(backoff)));
      }
      if (items.size() > 1) {
        int mid = items.size() / 2;
        List<Item> left = items.subList(0, mid);
        List<Item> right = items.subList(mid, items.size());
        return attempt(left, 0, options.retryBackoffMinMs)
            .compose(a -> attempt(right, 0, options.retryBackoffMinMs).map(b -> {
              List<Poison> all = new ArrayList<>(a);
              all.addAll(b);
              return all;
            }));
      }
      if (dataFailures + 1 >= options.maxRecordAttempts) {
        return Future.succeededFuture(List.of(new Poison(items.get(0).record(), "cannot be applied: " + err.getMessage())));
      }
      return delay(backoff).compose(v -> attempt(items, dataFailures + 1, nextBackoff(backoff)));
    });
  }

  /** Postgres refused the data (bad value, constraint, ...) rather than being unavailable. */
  static boolean isDataError(Throwable err) {
    if (!(err instanceof PgException)) {
      return false;
    }
    String state = ((PgException) err).getSqlState();
    return state != null && state.length() >= 2 && !TRANSIENT_CLASSES.contains(state.substring(0, 2));
  }

  private long nextBackoff(long backoff) {
    return Math.min(options.retryBackoffMaxMs, backoff * 2);
  }

  private Future<Void> delay(long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, ms), id -> p.complete());
    return p.future();
  }

  private void warn(String message) {
    long now = System.currentTimeMillis();
    if (now - lastWarning > 5_000) {
      lastWarning = now;
      log.warn(message);
    }
  }
}
