package org.qingfeng.sms.events;

/** A mobile-originated SMS (a reply such as 退订) as it travels on the {@code sms.inbound} topic. */
public class InboundSms {
    /** Deterministic (channel, source, destination, text hash, SMSC time) so a redelivery is recognised. */
    public String eventId;
    public String channel;
    public String source;
    public String destination;
    public String text;
    public int dataCoding;
    public long receivedAt;

    @Override
    public String toString() {
        return "InboundSms{" + eventId + " channel=" + channel + "}";
    }
}
