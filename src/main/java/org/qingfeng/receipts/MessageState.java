package org.qingfeng.receipts;

/**
 * A message's outcome as the statistics see it: enough to know which counters it contributes to.
 * Times are epoch millis; finalAt is null while no outcome is known.
 */
public record MessageState(String messageId, long campaignId, String channel, String status, String errorCode,
                           long submittedAt, Long finalAt) {
  public static final String SUBMITTED = "submitted";
  public static final String REJECTED = "rejected";
  public static final String DELIVERED = "delivered";
  public static final String FAILED = "failed";
  public static final String UNKNOWN = "unknown";

  /** Every status a message can have, in report order. */
  public static final java.util.List<String> STATUSES = java.util.List.of(SUBMITTED, DELIVERED, FAILED, REJECTED, UNKNOWN);

  /** Accepted by the SMSC (everything but rejected): the denominator of the delivery rate. */
  public boolean accepted() {
    return !REJECTED.equals(status);
  }

  /** Delivered or failed with a receipt: has a submit-to-receipt latency. */
  public boolean hasLatency() {
    return (DELIVERED.equals(status) || FAILED.equals(status)) && finalAt != null;
  }

  public long latencyMillis() {
    return finalAt == null ? 0 : Math.max(0, finalAt - submittedAt);
  }

  /** The error-histogram key of a failed or rejected message. */
  public String errorKey() {
    return errorCode == null || errorCode.isEmpty() ? "none" : errorCode;
  }
}
