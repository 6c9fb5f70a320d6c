package org.qingfeng.receipts;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Submit-to-outcome latency in log-scale buckets 10% wide: bucket 0 holds 0 ms, bucket b >= 1
 * holds (1.1^(b-1), 1.1^b] ms. Histograms of any campaigns, channels or periods merge by adding
 * counts per bucket, and a percentile read from them is within 10% of the exact value.
 */
public final class LatencyBuckets {
  static final double BASE = 1.1;
  static final int MAX_BUCKET = 400; // 1.1^400 ms is far beyond any receipt

  private LatencyBuckets() {
  }

  public static int bucket(long millis) {
    if (millis <= 0) {
      return 0;
    }
    int b = (int) Math.ceil(Math.log(millis) / Math.log(BASE) - 1e-9);
    return Math.min(MAX_BUCKET, Math.max(1, b));
  }

  /** The upper bound of a bucket, in whole milliseconds. */
  public static long upperBoundMillis(int bucket) {
    return bucket <= 0 ? 0 : (long) Math.ceil(Math.pow(BASE, bucket) - 1e-9);
  }

  /**
   * The p-quantile (0 < p <= 1) of a histogram as its bucket's upper bound; -1 when empty.
   *
   * @param counts messages per bucket
   */
  public static long percentile(Map<Integer, Long> counts, double p) {
    SortedMap<Integer, Long> sorted = new TreeMap<>(counts);
    long total = sorted.values().stream().mapToLong(Long::longValue).sum();
    if (total <= 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(p * total));
    long seen = 0;
    for (Map.Entry<Integer, Long> e : sorted.entrySet()) {
      seen += e.getValue();
      if (seen >= rank) {
        return upperBoundMillis(e.getKey());
      }
    }
    return upperBoundMillis(sorted.lastKey());
  }
}
