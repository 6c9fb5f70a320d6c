package org.qingfeng.kafka;

import java.util.List;

/** Topic names, all behind one configurable prefix so several deployments or tests can share a broker. */
public final class Topics {
  public final String smsOutbound;
  public final String smsEvents;
  public final String smsInbound;
  public final String ledPlays;
  public final String dlq;

  public Topics(String prefix) {
    this.smsOutbound = prefix + "sms.outbound";
    this.smsEvents = prefix + "sms.events";
    this.smsInbound = prefix + "sms.inbound";
    this.ledPlays = prefix + "led.plays";
    this.dlq = prefix + "dlq";
  }

  public List<String> all() {
    return List.of(smsOutbound, smsEvents, smsInbound, ledPlays, dlq);
  }
}
