package org.qingfeng.sms.smpp;

import org.qingfeng.sms.events.SmsEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Short-lived memory of SMSC id → our message id, so a receipt can name our message.
 * Downstream matches on the SMSC id anyway (Postgres is the record); this only spares it work.
 *
 * <p>A receipt that arrives before its submit_sm_resp is published at once without our id and
 * parked here; when the response arrives, {@link #submitted} hands it back to be published
 * again with our id. Both copies share one event id, so the sink keeps one. Thread-safe (submit
 * loops record, jSMPP threads match; one lock makes "known or parked" and "record and take the
 * parked" exclusive, so an early receipt is never missed); both maps are bounded in size and age.
 *
 * <p>A final receipt takes its entry out: nothing more is expected for that id, and without
 * this every accepted part stayed until the size bound pushed it out, so a blast held the bound
 * (and old-generation garbage) from its first seconds on while live entries were a fraction of it.
 * The parked map has its own, much smaller bound: a receipt can only come before its submit_sm_resp
 * while that submit is outstanding (at most the window), so beyond that a parked receipt is one
 * whose entry was already dropped and will never be claimed.
 */
final class ReceiptCorrelator {
    private record Submitted(String messageId, int partIndex, int partTotal, long submittedAt, long storedAt) {
    }

    private record Parked(SmsEvent receipt, long storedAt) {
    }

    private final LongSupplier clockMillis;
    private final long submittedTtlMs;
    private final long parkedTtlMs;
    private final GenerationalMap<Submitted> submitted;
    private final GenerationalMap<List<Parked>> parked;

    ReceiptCorrelator(LongSupplier clockMillis, int maxEntries, long submittedTtlMs, long parkedTtlMs) {
        this(clockMillis, maxEntries, maxEntries, submittedTtlMs, parkedTtlMs);
    }

    ReceiptCorrelator(LongSupplier clockMillis, int maxEntries, int maxParked, long submittedTtlMs, long parkedTtlMs) {
        this.clockMillis = clockMillis;
        this.submittedTtlMs = submittedTtlMs;
        this.parkedTtlMs = parkedTtlMs;
        long now = clockMillis.getAsLong();
        this.submitted = new GenerationalMap<>(maxEntries, submittedTtlMs, now);
        this.parked = new GenerationalMap<>(maxParked, parkedTtlMs, now);
    }

    /**
     * Records a part the SMSC accepted.
     *
     * @return receipts for it that arrived early, now carrying our message id (to publish again)
     */
    synchronized List<SmsEvent> submitted(String smscId, String messageId, int partIndex, int partTotal, long submittedAt) {
        long now = clockMillis.getAsLong();
        Submitted known = new Submitted(messageId, partIndex, partTotal, submittedAt, now);
        submitted.put(smscId, known, now);
        List<Parked> early = parked.remove(smscId);
        if (early == null) {
            return List.of();
        }
        List<SmsEvent> enriched = new ArrayList<>(early.size());
        for (Parked p : early) {
            if (now - p.storedAt <= parkedTtlMs) {
                fill(p.receipt, known);
                enriched.add(p.receipt);
            }
        }
        return enriched;
    }

    /**
     * Fills our message id into a receipt if its submit is known; otherwise parks a copy for later.
     * A final receipt ({@code last}) forgets the entry; an intermediate one (ENROUTE) keeps it.
     */
    synchronized SmsEvent match(SmsEvent receipt, boolean last) {
        long now = clockMillis.getAsLong();
        Submitted known = last ? submitted.remove(receipt.smscId) : submitted.get(receipt.smscId);
        if (known != null && now - known.storedAt <= submittedTtlMs) {
            fill(receipt, known);
            return receipt;
        }
        List<Parked> waiting = parked.get(receipt.smscId);
        if (waiting == null) {
            waiting = new ArrayList<>(1);
            parked.put(receipt.smscId, waiting, now);
        }
        waiting.add(new Parked(copy(receipt), now));
        return receipt;
    }

    synchronized int parkedCount() {
        return parked.size();
    }

    synchronized int submittedCount() {
        return submitted.size();
    }

    private static void fill(SmsEvent receipt, Submitted known) {
        receipt.messageId = known.messageId;
        receipt.partIndex = known.partIndex;
        receipt.partTotal = known.partTotal;
        if (receipt.submittedAt == null) {
            receipt.submittedAt = known.submittedAt;
        }
    }

    private static SmsEvent copy(SmsEvent e) {
        SmsEvent c = new SmsEvent();
        c.type = e.type;
        c.eventId = e.eventId;
        c.channel = e.channel;
        c.messageId = e.messageId;
        c.partIndex = e.partIndex;
        c.partTotal = e.partTotal;
        c.smscId = e.smscId;
        c.commandStatus = e.commandStatus;
        c.status = e.status;
        c.statWord = e.statWord;
        c.errorCode = e.errorCode;
        c.submittedAt = e.submittedAt;
        c.doneAt = e.doneAt;
        c.receivedAt = e.receivedAt;
        c.campaignId = e.campaignId;
        return c;
    }
}
