package org.qingfeng.led;

/**
 * One proof-of-play record on Kafka led.plays (key: screen id), as JSON via jsoniter: plain
 * public fields, times in epoch milliseconds.
 */
public final class PlayRecord {
  public long screenId;
  public String clientPlayId;
  public long itemId;
  public long alertId;
  public String contentHash;
  public long startedAtMs;
  public int durationMs;
  public long receivedAtMs;

  public PlayRecord() {
  }

  /**
   * jsoniter builds its codec for a class on first use, which takes a second or more: call this
   * once at boot, off any event loop, so the first play never stalls one.
   */
  public static void warmUpCodec() {
    PlayRecord p = new PlayRecord();
    p.clientPlayId = "warm-up";
    p.contentHash = "0".repeat(64);
    com.jsoniter.JsonIterator.deserialize(com.jsoniter.output.JsonStream.serialize(p), PlayRecord.class);
  }

  /** Whether a record read back from Kafka is complete enough to store. */
  public boolean valid() {
    return screenId > 0 && clientPlayId != null && !clientPlayId.isEmpty() && clientPlayId.length() <= 100
        && (itemId > 0) != (alertId > 0) && contentHash != null && contentHash.matches("[0-9a-f]{64}")
        && startedAtMs > 0 && durationMs >= 0 && receivedAtMs > 0;
  }
}
