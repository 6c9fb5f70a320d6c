package org.qingfeng.sim;

/** A snapshot of the simulator's counters; what {@code GET /summary} returns. */
public final class SimulatorSummary {

    /** Accepted submit_sm PDUs (parts). */
    public long submits;
    public long distinctDestinations;
    /** Receipt deliver_sm PDUs acknowledged by the client. */
    public long receiptsSent;
    /** Receipts that could not be delivered (no receiver bound, link gone, negative response). */
    public long receiptsFailed;
    /** Submits answered ESME_RTHROTTLED. */
    public long throttled;
    /** Submits answered with another error by fault injection (error rate, queue full). */
    public long rejected;
    /** Connections closed by fault injection or {@link SmscSimulator#dropAllLinks()}. */
    public long droppedLinks;
    /** MO deliver_sm PDUs acknowledged by clients. */
    public long moSent;
    /** Successful binds. */
    public long binds;
    public long bindsRefused;
}
