package org.qingfeng.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every submit the simulator accepted, in arrival order: the proof tests compare against.
 * Lock-free appends so recording stays cheap at thousands of submits per second.
 */
public final class Ledger {

    private final ConcurrentLinkedQueue<LedgerEntry> entries = new ConcurrentLinkedQueue<>();
    private final LongAdder submits = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> perDestination = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<SentReceipt> receipts = new ConcurrentLinkedQueue<>();

    /** A delivery receipt the client acknowledged (deliver_sm_resp ESME_ROK): from then on it is the client's to keep. */
    public record SentReceipt(String messageId, String destination, String state) {
    }

    void record(LedgerEntry entry) {
        entries.add(entry);
        perDestination.computeIfAbsent(entry.destination, d -> new LongAdder()).increment();
        submits.increment();
    }

    void recordReceipt(LedgerEntry entry, String state) {
        receipts.add(new SentReceipt(entry.messageId, entry.destination, state));
    }

    /** Snapshot of the receipts clients acknowledged, in acknowledgement order. */
    public List<SentReceipt> receipts() {
        return new ArrayList<>(receipts);
    }

    /** Accepted submit_sm PDUs; a multipart message counts once per part. */
    public int submits() {
        return submits.intValue();
    }

    public int distinctDestinations() {
        return perDestination.size();
    }

    /** Snapshot of accepted parts per destination number. */
    public Map<String, Integer> submitsPerDestination() {
        Map<String, Integer> snapshot = new TreeMap<>();
        perDestination.forEach((destination, count) -> snapshot.put(destination, count.intValue()));
        return snapshot;
    }

    /** Snapshot of all entries in arrival order. */
    public List<LedgerEntry> entries() {
        return new ArrayList<>(entries);
    }

    /**
     * The text of a concatenated message to one destination, parts joined in sequence order;
     * a part resubmitted after a lost response counts once. Null when no part was received.
     */
    public String reassembled(String destination, int reference) {
        List<LedgerEntry> parts = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (LedgerEntry entry : entries) {
            if (entry.isPartOf(destination, reference) && seen.add(entry.concatSequence)) {
                parts.add(entry);
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        parts.sort(Comparator.comparingInt(part -> part.concatSequence));
        StringBuilder text = new StringBuilder();
        parts.forEach(part -> text.append(part.text));
        return text.toString();
    }
}
