package org.qingfeng.sim;

/** A snapshot of the simulator's counters; what {@code GET /summary} returns. */
public final class SimulatorSummary {

    /** Accepted submit_sm PDUs (parts). */
    public long submits;
    public long distinctDestinations;
    /** Receipt deliver_sm PDUs acknowledged by the client. */
    public long receiptsSent;
    /** Receipts given up on: no receiver took them (none bound, link gone, negative response) within 30 s of retries. */
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
    /** enquire_link PDUs received from clients (answered by jSMPP). */
    public long enquireLinks;
}
