package org.qingfeng.receipts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The change a batch makes to the statistics tables: every message that changed takes its old
 * contribution out and puts its new one in. Counts therefore always equal what a scan of
 * receipt_message would give, however often and in whatever order events arrive.
 */
public final class StatsDelta {
  public record StatusKey(long campaignId, String channel, String status) {
  }

  public record MinuteKey(long campaignId, String channel, long minute, String kind) {
  }

  public record ErrorKey(long campaignId, String channel, String code) {
  }

  public record LatencyKey(long campaignId, String channel, int bucket) {
  }

  final Map<StatusKey, Long> status = new HashMap<>();
  final Map<MinuteKey, Long> minute = new HashMap<>();
  final Map<ErrorKey, Long> error = new HashMap<>();
  final Map<LatencyKey, Long> latency = new HashMap<>();

  /** Records the transition of one message (old null: new message). */
  public void transition(MessageState before, MessageState after) {
    if (before != null) {
      add(before, -1);
    }
    if (after != null) {
      add(after, 1);
    }
  }

  private void add(MessageState m, long sign) {
    long c = m.campaignId();
    String ch = m.channel();
    status.merge(new StatusKey(c, ch, m.status()), sign, Long::sum);
    if (m.accepted()) {
      minute.merge(new MinuteKey(c, ch, minuteOf(m.submittedAt()), "submitted"), sign, Long::sum);
    }
    boolean outcome = MessageState.DELIVERED.equals(m.status()) || MessageState.FAILED.equals(m.status())
        || MessageState.REJECTED.equals(m.status());
    if (outcome && m.finalAt() != null) {
      minute.merge(new MinuteKey(c, ch, minuteOf(m.finalAt()), m.status()), sign, Long::sum);
    }
    if (MessageState.FAILED.equals(m.status()) || MessageState.REJECTED.equals(m.status())) {
      error.merge(new ErrorKey(c, ch, m.errorKey()), sign, Long::sum);
    }
    if (m.hasLatency()) {
      latency.merge(new LatencyKey(c, ch, LatencyBuckets.bucket(m.latencyMillis())), sign, Long::sum);
    }
  }

  static long minuteOf(long epochMillis) {
    return Math.floorDiv(epochMillis, 60_000L) * 60_000L;
  }

  public boolean isEmpty() {
    prune();
    return status.isEmpty() && minute.isEmpty() && error.isEmpty() && latency.isEmpty();
  }

  /** Drops keys whose changes cancelled out. */
  void prune() {
    status.values().removeIf(v -> v == 0);
    minute.values().removeIf(v -> v == 0);
    error.values().removeIf(v -> v == 0);
    latency.values().removeIf(v -> v == 0);
  }

  static <K> List<Map.Entry<K, Long>> entries(Map<K, Long> map) {
    return new ArrayList<>(map.entrySet());
  }
}
