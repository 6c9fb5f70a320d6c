package org.qingfeng.sms.smpp;

/** How a channel binds: one transceiver session, or a transmitter plus a receiver session. */
public enum BindMode {
    TRANSCEIVER,
    TRANSMITTER_RECEIVER
}
