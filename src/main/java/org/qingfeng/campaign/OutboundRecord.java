package org.qingfeng.campaign;

/** The sms.outbound payload (key: the message id). JSON via jsoniter; times in epoch millis. */
public final class OutboundRecord {
  public long messageId;
  public long campaignId;
  public long enqueuedAt;
}
