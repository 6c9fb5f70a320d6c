package org.qingfeng.receipts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The sink's meters: lag, batch latency, rows applied (rate = rows/s), parked, unmatched, dead letters. */
public final class ReceiptMetrics {
  private final Counter applied;
  private final Counter duplicates;
  private final Counter matched;
  private final Counter dlq;
  private final Counter dbRetries;
  private final Counter unmatchedMoved;
  private final Timer batch;
  private final AtomicLong lagRecords = new AtomicLong();
  private final AtomicLong parked = new AtomicLong();
  private final AtomicLong unmatched = new AtomicLong();
  private final AtomicLong lastBatchRowsPerSecond = new AtomicLong();

  public ReceiptMetrics(MeterRegistry registry) {
    applied = Counter.builder("qingfeng.receipts.events.applied").description("sms.events records applied to Postgres")
        .register(registry);
    duplicates = Counter.builder("qingfeng.receipts.events.duplicate")
        .description("records whose event id was already applied (replays, redeliveries)").register(registry);
    matched = Counter.builder("qingfeng.receipts.matched").description("receipts matched to their part").register(registry);
    dlq = Counter.builder("qingfeng.receipts.dlq").description("records sent to the dead-letter topic").register(registry);
    dbRetries = Counter.builder("qingfeng.receipts.db.retries").description("batch transactions retried after a database error")
        .register(registry);
    unmatchedMoved = Counter.builder("qingfeng.receipts.unmatched.moved")
        .description("parked receipts moved to the unmatched table").register(registry);
    batch = Timer.builder("qingfeng.receipts.batch.duration").description("time to apply and commit one batch")
        .publishPercentiles(0.5, 0.99).register(registry);
    Gauge.builder("qingfeng.receipts.sink.lag", lagRecords, AtomicLong::get)
        .description("records on sms.events not yet committed by the sink").register(registry);
    Gauge.builder("qingfeng.receipts.parked", parked, AtomicLong::get)
        .description("receipts waiting for their submit result").register(registry);
    Gauge.builder("qingfeng.receipts.unmatched", unmatched, AtomicLong::get)
        .description("receipts that never matched a submit result").register(registry);
    Gauge.builder("qingfeng.receipts.batch.rows.per.second", lastBatchRowsPerSecond, AtomicLong::get)
        .description("records per second of the last batch").register(registry);
  }

  void batch(int records, BatchApplier.Result result, long nanos) {
    applied.increment(result.applied());
    duplicates.increment(result.duplicates());
    matched.increment(result.matched());
    batch.record(Duration.ofNanos(nanos));
    if (nanos > 0) {
      lastBatchRowsPerSecond.set((long) (records * 1e9 / nanos));
    }
  }

  void deadLetter() {
    dlq.increment();
  }

  void dbRetry() {
    dbRetries.increment();
  }

  void unmatchedMoved(int n) {
    unmatchedMoved.increment(n);
  }

  void lag(long records) {
    lagRecords.set(records);
  }

  void backlog(long parkedNow, long unmatchedNow) {
    parked.set(parkedNow);
    unmatched.set(unmatchedNow);
  }

  public double deadLetters() {
    return dlq.count();
  }

  public double applied() {
    return applied.count();
  }

  public double duplicates() {
    return duplicates.count();
  }

  public long parked() {
    return parked.get();
  }

  public long unmatched() {
    return unmatched.get();
  }
}
