package org.qingfeng.receipts;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.qingfeng.kafka.KafkaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receipt sink: its own consumer group on sms.events, batches of up to batch-size records or
 * batch-linger-ms, one transaction per batch, offsets committed only after it committed.
 *
 * <p>The consumer is polled all the time (so it stays in its group even while Postgres is down);
 * up to batches-in-flight batches are applied at once (see {@link #process}) and the next one is
 * read meanwhile, and when two full batches are waiting the partitions
 * are paused in Kafka and resumed once a batch is committed. Offsets go to Kafka after the batch's
 * transaction committed, but the next batch does not wait for them (commits are serial, coalesced
 * while one is in flight). On a rebalance, records buffered for revoked partitions are discarded and the batch in
 * flight commits only partitions still assigned: whatever was not committed is read again by the
 * new owner and applied idempotently (event ids).
 */
public final class ReceiptSinkVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ReceiptSinkVerticle.class);
  private static final long LAG_INTERVAL_MS = 5_000;

  private final ReceiptSinkOptions options;
  private final Pool pool;
  private final ReceiptMetrics metrics;
  private final Clock clock;
  private final ArrayDeque<KafkaConsumerRecord<String, String>> buffer = new ArrayDeque<>();
  private final Set<TopicPartition> assigned = new HashSet<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  /** Offsets of applied batches not yet sent to Kafka (sent when the commit in flight ends). */
  private final Map<TopicPartition, Long> toCommit = new HashMap<>();
  private Future<Void> offsetCommit = Future.succeededFuture();
  private boolean committing;
  private KafkaConsumer<String, String> consumer;
  private ResilientApplier applier;
  private DeadLetters deadLetters;
  private ReceiptSweeper sweeper;
  private long firstBufferedAt; // System.nanoTime() of the oldest buffered record
  /** Batches taken from the buffer whose offsets are not yet handed to {@link #applied} (or dropped). */
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  /** Completes when every batch taken so far is applied and its offsets noted: the next one chains on it. */
  private Future<Void> allApplied = Future.succeededFuture();
  private boolean paused;
  private boolean sweeping;
  private volatile boolean stopping;
  private Promise<Void> drained;
  private long sweepTimer = -1;
  private long lagTimer = -1;

  public ReceiptSinkVerticle(ReceiptSinkOptions options, Pool pool, MeterRegistry registry, Clock clock) {
    this.options = options;
    this.pool = pool;
    this.metrics = new ReceiptMetrics(registry);
    this.clock = clock;
  }

  public ReceiptMetrics metrics() {
    return metrics;
  }

  /** The reconciliation sweeps, for tests that drive them with their own clock. */
  public ReceiptSweeper sweeper() {
    return sweeper;
  }

  @Override
  public Future<?> start() {
    ReceiptStore store = new ReceiptStore(pool);
    BatchApplier batchApplier = new BatchApplier(store, clock, options.unknownAfterMs);
    applier = new ResilientApplier(vertx, batchApplier, metrics, options, () -> stopping);
    sweeper = new ReceiptSweeper(store, batchApplier, clock, options, metrics);
    deadLetters = new DeadLetters(vertx, options.bootstrapServers, options.dlqTopic, metrics, () -> stopping, clock);
    Map<String, String> config = KafkaSettings.consumer(options.bootstrapServers, options.groupId,
        "qingfeng-receipts-" + Integer.toHexString(System.identityHashCode(this)));
    config.put("max.poll.records", String.valueOf(Math.min(options.batchSize, 2000)));
    consumer = KafkaConsumer.create(vertx, config);
    consumer.partitionsAssignedHandler(this::onAssigned);
    consumer.partitionsRevokedHandler(this::onRevoked);
    consumer.exceptionHandler(e -> log.warn("receipt sink consumer: {}", e.toString()));
    return consumer.subscribe(options.eventsTopic).onSuccess(v -> {
      poll();
      if (options.sweepIntervalMs > 0) {
        sweepTimer = vertx.setPeriodic(options.sweepIntervalMs, id -> sweep());
      }
      lagTimer = vertx.setPeriodic(LAG_INTERVAL_MS, id -> measureLag());
      log.info("receipt sink on {} (group {}, batches of {} or {} ms)", options.eventsTopic, options.groupId,
          options.batchSize, options.batchLingerMs);
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(lagTimer);
    Future<Void> idle = Future.succeededFuture();
    if (!inFlight.isEmpty()) {
      drained = Promise.promise();
      idle = drained.future().timeout(10, TimeUnit.SECONDS).recover(e -> Future.succeededFuture());
    }
    return idle.eventually(() -> offsetCommit.timeout(10, TimeUnit.SECONDS))
        .eventually(() -> consumer.close()).eventually(() -> deadLetters.close());
  }

  private void poll() {
    if (stopping) {
      return;
    }
    long timeout = Math.max(10, Math.min(100, options.batchLingerMs));
    consumer.poll(Duration.ofMillis(timeout)).onComplete(ar -> {
      if (ar.succeeded()) {
        accept(ar.result());
      } else if (!stopping) {
        log.warn("receipt sink poll failed: {}", ar.cause().toString());
      }
      maybeFlush();
      if (ar.succeeded()) {
        poll();
      } else {
        vertx.setTimer(500, id -> poll());
      }
    });
  }

  private void accept(KafkaConsumerRecords<String, String> records) {
    for (int i = 0; i < records.size(); i++) {
      if (buffer.isEmpty()) {
        firstBufferedAt = System.nanoTime();
      }
      buffer.add(records.recordAt(i));
    }
    if (buffer.size() >= maxBuffered() && !paused && !assigned.isEmpty()) {
      paused = true;
      consumer.pause(new HashSet<>(assigned)).onFailure(e -> log.debug("pause: {}", e.toString()));
    }
  }

  private void maybeFlush() {
    if (inFlight.size() >= Math.max(1, options.batchesInFlight) || stopping || buffer.isEmpty()) {
      return;
    }
    if (buffer.size() < options.batchSize && (System.nanoTime() - firstBufferedAt) / 1_000_000 < options.batchLingerMs) {
      return;
    }
    List<KafkaConsumerRecord<String, String>> batch = new ArrayList<>(Math.min(buffer.size(), options.batchSize));
    while (!buffer.isEmpty() && batch.size() < options.batchSize) {
      batch.add(buffer.poll());
    }
    firstBufferedAt = System.nanoTime();
    process(batch).onComplete(ar -> {
      inFlight.poll();
      if (ar.failed() && !stopping) {
        log.warn("receipt batch of {} not committed: {}", batch.size(), ar.cause().toString());
      }
      if (drained != null && inFlight.isEmpty()) {
        drained.tryComplete();
      }
      if (paused && buffer.size() < maxBuffered() && !stopping) {
        paused = false;
        consumer.resume(new HashSet<>(assigned)).onFailure(e -> log.debug("resume: {}", e.toString()));
      }
      maybeFlush();
    });
  }

  /** The batch being applied and the next one, read meanwhile. */
  private int maxBuffered() {
    return 2 * options.batchSize;
  }

  /**
   * Applies a batch, in its own transaction, while the batches before it may still be applying or
   * committing (up to {@code batchesInFlight}): the commit's fsync and the client's round trips of
   * one batch overlap the next one's statements. Batches touching the same messages are serialised
   * by the messages' locks in Postgres; the few whose receipts and submit results meet only by SMSC
   * id wait here for the earlier batch ({@link BatchFootprint}). Offsets are noted strictly in
   * batch order, each only once this batch and every earlier one committed.
   */
  private Future<Void> process(List<KafkaConsumerRecord<String, String>> batch) {
    List<ResilientApplier.Item> items = new ArrayList<>(batch.size());
    List<ResilientApplier.Poison> invalid = new ArrayList<>();
    List<org.qingfeng.sms.events.SmsEvent> events = new ArrayList<>(batch.size());
    for (KafkaConsumerRecord<String, String> r : batch) {
      EventDecoder.Decoded d = EventDecoder.decode(r.value());
      if (d.ok()) {
        items.add(new ResilientApplier.Item(r, d.event()));
        events.add(d.event());
      } else {
        invalid.add(new ResilientApplier.Poison(r, d.reason()));
      }
    }
    BatchFootprint footprint = new BatchFootprint(events);
    List<Future<Void>> before = new ArrayList<>();
    for (InFlight f : inFlight) {
      if (f.footprint().conflictsWith(footprint)) {
        before.add(f.stored());
      }
    }
    // An earlier batch's failure (only when stopping) is reported by that batch; this one only waits.
    Future<Void> mayStart = before.isEmpty() ? Future.succeededFuture()
        : Future.join(before).transform(ar -> Future.<Void>succeededFuture());
    Future<Void> stored = mayStart.compose(v -> applier.apply(items))
        .compose(poison -> {
          List<ResilientApplier.Poison> all = new ArrayList<>(invalid);
          all.addAll(poison);
          return deadLetters.sendAll(all);
        });
    inFlight.add(new InFlight(footprint, stored));
    Future<Void> earlier = allApplied;
    Future<Void> done = stored.transform(ar -> earlier.transform(e -> {
      if (ar.failed()) {
        return Future.<Void>failedFuture(ar.cause());
      }
      if (e.failed()) {
        return Future.<Void>failedFuture(e.cause());
      }
      applied(batch);
      return Future.<Void>succeededFuture();
    }));
    allApplied = done;
    return done;
  }

  /** A batch taken from the buffer: what it touches, and when it is applied and its dead letters sent. */
  private record InFlight(BatchFootprint footprint, Future<Void> stored) {
  }

  /**
   * Notes the next offset of every partition in the batch (applied and committed in Postgres) for
   * Kafka, and sends them unless a commit is in flight (then they go, with any later ones, when it ends).
   */
  private void applied(List<KafkaConsumerRecord<String, String>> batch) {
    for (KafkaConsumerRecord<String, String> r : batch) {
      toCommit.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
    }
    if (!committing) {
      offsetCommit = commitOffsets();
    }
  }

  /** Commits the pending offsets of partitions still ours, then any that became pending meanwhile. */
  private Future<Void> commitOffsets() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    toCommit.forEach((tp, o) -> {
      if (assigned.contains(tp)) {
        offsets.put(tp, new OffsetAndMetadata(o, ""));
      }
    });
    toCommit.clear();
    if (offsets.isEmpty()) {
      committing = false;
      return Future.succeededFuture();
    }
    committing = true;
    return consumer.commit(offsets).<Void>map(done -> {
      offsets.forEach((tp, o) -> committed.put(tp, o.getOffset()));
      return null;
    }).recover(e -> {
      // Applied but not committed: the records come again (after a rebalance) and change nothing.
      log.warn("receipt sink offset commit failed (records will be re-read, idempotently): {}", e.toString());
      return Future.succeededFuture();
    }).compose(v -> commitOffsets());
  }

  private void onAssigned(Set<TopicPartition> partitions) {
    assigned.addAll(partitions);
    if (paused && !partitions.isEmpty()) {
      consumer.pause(partitions).onFailure(e -> log.debug("pause: {}", e.toString()));
    }
    log.info("receipt sink assigned {}", partitions);
  }

  private void onRevoked(Set<TopicPartition> partitions) {
    assigned.removeAll(partitions);
    buffer.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
    partitions.forEach(committed::remove);
    partitions.forEach(toCommit::remove);
    log.info("receipt sink revoked {}", partitions);
  }

  private void sweep() {
    if (sweeping || stopping) {
      return;
    }
    sweeping = true;
    sweeper.sweepOnce()
        .onFailure(e -> log.warn("receipt sweep failed (next one retries): {}", e.toString()))
        .onComplete(ar -> sweeping = false);
  }

  private void measureLag() {
    if (assigned.isEmpty() || stopping) {
      return;
    }
    Set<TopicPartition> parts = new HashSet<>(assigned);
    consumer.endOffsets(parts).onSuccess(ends -> {
      List<Future<Long>> positions = new ArrayList<>();
      for (TopicPartition tp : parts) {
        Long known = committed.get(tp);
        positions.add(known != null ? Future.succeededFuture(known)
            : consumer.committed(tp).map(o -> o == null ? 0L : o.getOffset()));
      }
      Future.all(positions).onSuccess(all -> {
        long lag = 0;
        int i = 0;
        for (TopicPartition tp : parts) {
          Long end = ends.get(tp);
          lag += end == null ? 0 : Math.max(0, end - all.<Long>resultAt(i));
          i++;
        }
        metrics.lag(lag);
      });
    });
  }
}
