package org.qingfeng.campaign;

import java.util.List;

/** What the SMS channel said about one submit. */
public final class SendResult {
  public enum Status {
    /** Every part was accepted by the SMSC. */
    SUBMITTED,
    /** Refused for good (e.g. an SMPP error code for a bad destination). */
    REJECTED,
    /** Not submitted, try again later (throttled, queue full, channel down before submit). */
    RETRY,
    /** Submitted or not, nobody knows (the response was lost with the link). */
    UNKNOWN
  }

  public final Status status;
  public final List<String> smscIds;
  public final String error;

  private SendResult(Status status, List<String> smscIds, String error) {
    this.status = status;
    this.smscIds = smscIds;
    this.error = error;
  }

  public static SendResult submitted(List<String> smscIds) {
    return new SendResult(Status.SUBMITTED, List.copyOf(smscIds), null);
  }

  public static SendResult rejected(String error) {
    return new SendResult(Status.REJECTED, List.of(), error);
  }

  public static SendResult retry(String error) {
    return new SendResult(Status.RETRY, List.of(), error);
  }

  public static SendResult unknown(String error) {
    return new SendResult(Status.UNKNOWN, List.of(), error);
  }
}
