package org.qingfeng.receipts;

/** Settings of the receipt sink (from the receipts.* configuration keys). */
public final class ReceiptSinkOptions {
  public String bootstrapServers;
  public String eventsTopic;
  public String dlqTopic;
  public String groupId = "qingfeng-receipts";
  public int batchSize = 2000;
  public long batchLingerMs = 200;
  /**
   * Batches applied at once, each in its own transaction on its own connection (1: one after the
   * other). Offsets are still committed in batch order, each only after its batch committed.
   * Four: while one batch waits for its commit's fsync or for an earlier batch's message locks, the
   * others keep both cores busy (warm sink.sh runs alternated on 2026-12-07: four beat two by 10–25 % and
   * three by about 5 % on average; six gained 5-8 % in one pair and nothing in three later ones, and would hold more of
   * the shared pool; BENCHMARKS.md).
   */
  public int batchesInFlight = 4;
  public long unmatchedAfterMs = 60 * 60_000L;
  public long unknownAfterMs = 48 * 3_600_000L;
  public long sweepIntervalMs = 60_000;
  /** Attempts of a single record that makes the transaction fail with a data error, before the dlq. */
  public int maxRecordAttempts = 3;
  public long retryBackoffMinMs = 100;
  public long retryBackoffMaxMs = 5_000;

  public ReceiptSinkOptions(String bootstrapServers, String eventsTopic, String dlqTopic) {
    this.bootstrapServers = bootstrapServers;
    this.eventsTopic = eventsTopic;
    this.dlqTopic = dlqTopic;
  }
}
