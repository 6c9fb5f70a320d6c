package org.qingfeng.receipts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.qingfeng.sms.events.SmsEvent;

/**
 * Splits a batch's messages into those it applies at once and those it applies only once the
 * batches in flight ahead of it hold their locks (then PostgreSQL's advisory locks make it wait
 * for their commits as before). Two batches in flight nearly always share a few messages (a
 * multipart message's parts travel on different partitions); without the split the later batch's
 * first lock statement waited for the earlier one's commit, and everything after it with it.
 *
 * <p>A round must hold everything its statements may touch together: a receipt finds its part by
 * (channel, SMSC id) among the round's messages. So messages linked by an SMSC id in this batch (a
 * receipt naming one, a submit result of another), and every message an anonymous receipt may
 * belong to (this batch's submit results of its SMSC id, the committed parts {@code found}), go in
 * one round; a group with any message busy ahead goes in the second. Receipts of the first round
 * that find their part only in the second are parked by the first and matched by the second from
 * the parked table, as within one statement. Only a receipt naming one message whose SMSC id is an
 * earlier batch's part of another message of the first round, when the receipt falls in the second,
 * is parked where one round would have matched it: the sweep matches it (as it does whenever that
 * other message is not in the receipt's batch).
 */
final class BatchRounds {
  private static final String ANONYMOUS = "\u0000";

  final Set<String> firstMessages = new TreeSet<>();
  final Set<String> secondMessages = new TreeSet<>();
  final List<SmsEvent> firstSubmits = new ArrayList<>();
  final List<SmsEvent> firstReceipts = new ArrayList<>();
  final List<SmsEvent> secondSubmits = new ArrayList<>();
  final List<SmsEvent> secondReceipts = new ArrayList<>();

  private final Map<String, String> parent = new HashMap<>();

  /** {@code busy}: the messages of the batches ahead; null: unknown, all wait. */
  BatchRounds(Set<String> messages, Set<String> found, List<SmsEvent> submits, List<SmsEvent> receipts,
      Set<String> busy) {
    Map<String, List<String>> submitted = new HashMap<>();
    for (SmsEvent s : submits) {
      if (s.smscId != null) {
        submitted.computeIfAbsent(BatchApplier.smscKey(s.channel, s.smscId), k -> new ArrayList<>(1)).add(s.messageId);
      }
    }
    for (SmsEvent r : receipts) {
      String node = r.messageId == null ? ANONYMOUS : r.messageId;
      List<String> owners = submitted.get(BatchApplier.smscKey(r.channel, r.smscId));
      if (owners != null) {
        owners.forEach(m -> union(node, m));
      }
    }
    found.forEach(m -> union(ANONYMOUS, m));
    Set<String> waiting = new java.util.HashSet<>();
    if (busy == null) {
      waiting.add(null);
    } else {
      for (String m : messages) {
        if (busy.contains(m)) {
          waiting.add(root(m));
        }
      }
    }
    boolean all = busy == null;
    for (String m : messages) {
      (all || waiting.contains(root(m)) ? secondMessages : firstMessages).add(m);
    }
    boolean anonymousWait = all || waiting.contains(root(ANONYMOUS));
    for (SmsEvent s : submits) {
      (secondMessages.contains(s.messageId) ? secondSubmits : firstSubmits).add(s);
    }
    for (SmsEvent r : receipts) {
      boolean second = r.messageId == null ? anonymousWait : secondMessages.contains(r.messageId);
      (second ? secondReceipts : firstReceipts).add(r);
    }
  }

  private String root(String m) {
    String r = m;
    for (String p = parent.get(r); p != null; p = parent.get(r)) {
      r = p;
    }
    for (String x = m; !x.equals(r); ) { // path compression
      String next = parent.put(x, r);
      x = next;
    }
    return r;
  }

  private void union(String a, String b) {
    String ra = root(a);
    String rb = root(b);
    if (!ra.equals(rb)) {
      parent.put(ra, rb);
    }
  }
}
