package org.qingfeng.contacts;

/**
 * An inbound (MO) SMS as read from Kafka {@code sms.inbound}: a plain class for jsoniter.
 * Fields beyond these are ignored.
 */
public final class InboundSms {
  /** The sender: E.164 or a national number of the default region. */
  public String source;
  public String destination;
  public String text;
  /** Epoch millis. */
  public long receivedAt;
  /** Unique per inbound message (idempotency and traceability). */
  public String eventId;
}
