package org.qingfeng.sim;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what the simulator did besides accepting submits (those live in the {@link Ledger}). */
final class SimulatorStats {

    final LongAdder receiptsSent = new LongAdder();
    final LongAdder receiptsFailed = new LongAdder();
    final LongAdder throttled = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder droppedLinks = new LongAdder();
    final LongAdder moSent = new LongAdder();
    final LongAdder binds = new LongAdder();
    final LongAdder bindsRefused = new LongAdder();
    final LongAdder enquireLinks = new LongAdder();

    SimulatorSummary summarize(Ledger ledger) {
        SimulatorSummary summary = new SimulatorSummary();
        summary.submits = ledger.submits();
        summary.distinctDestinations = ledger.distinctDestinations();
        summary.receiptsSent = receiptsSent.longValue();
        summary.receiptsFailed = receiptsFailed.longValue();
        summary.throttled = throttled.longValue();
        summary.rejected = rejected.longValue();
        summary.droppedLinks = droppedLinks.longValue();
        summary.moSent = moSent.longValue();
        summary.binds = binds.longValue();
        summary.bindsRefused = bindsRefused.longValue();
        summary.enquireLinks = enquireLinks.longValue();
        return summary;
    }
}
