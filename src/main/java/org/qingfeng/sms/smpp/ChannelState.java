package org.qingfeng.sms.smpp;

/** The link state ops see for a channel. */
public enum ChannelState {
    /** Bound: submits flow (and, for the receiver side, receipts). */
    BOUND,
    /** A (re)bind is in progress or waiting for its backoff. */
    CONNECTING,
    /** Not bound and not trying: before start or after close. */
    UNBOUND
}
