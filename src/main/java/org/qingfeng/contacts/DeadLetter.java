package org.qingfeng.contacts;

/** What goes to the {@code dlq} topic for a record that cannot be applied: plain class for jsoniter. */
public final class DeadLetter {
  public String sourceTopic;
  public int partition;
  public long offset;
  public String key;
  public String value;
  public String error;
  public String consumer;
  public long failedAt;
}
