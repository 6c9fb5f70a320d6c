package org.qingfeng.receipts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.qingfeng.sms.events.SmsEvent;

/**
 * What a batch may write that another batch's transaction, running at the same time, would read
 * without holding the message lock that serialises them: parts and receipts looked up by (channel,
 * SMSC id). A receipt names its part's message, which both batches then lock, except when it
 * names none (it arrived before the submit response) or another one; such a receipt and a submit
 * result of the same SMSC id in two concurrent batches must not overlap, or one batch could miss
 * the other's uncommitted row and park what applying them one after the other would have matched.
 */
final class BatchFootprint {
  /** (channel, SMSC id) → message ids of the batch's submit results with that id. */
  private final Map<String, List<String>> submits = new HashMap<>();
  /** (channel, SMSC id) → message ids its receipts name (null: none). */
  private final Map<String, List<String>> receipts = new HashMap<>();

  BatchFootprint(List<SmsEvent> events) {
    for (SmsEvent e : events) {
      if (e.smscId == null || e.channel == null) {
        continue;
      }
      Map<String, List<String>> into = SmsEvent.TYPE_SUBMIT_RESULT.equals(e.type) ? submits : receipts;
      into.computeIfAbsent(BatchApplier.smscKey(e.channel, e.smscId), k -> new java.util.ArrayList<>(1)).add(e.messageId);
    }
  }

  /** True when the two batches must be applied one after the other (see the class comment). */
  boolean conflictsWith(BatchFootprint other) {
    return crosses(receipts, other.submits) || crosses(other.receipts, submits);
  }

  private static boolean crosses(Map<String, List<String>> receipts, Map<String, List<String>> submits) {
    Map<String, List<String>> small = receipts.size() <= submits.size() ? receipts : submits;
    Map<String, List<String>> large = small == receipts ? submits : receipts;
    for (Map.Entry<String, List<String>> e : small.entrySet()) {
      List<String> match = large.get(e.getKey());
      if (match == null) {
        continue;
      }
      List<String> named = small == receipts ? e.getValue() : match;
      List<String> owners = small == receipts ? match : e.getValue();
      for (String m : named) {
        // A receipt naming the part's own message is serialised by that message's lock.
        if (m == null || owners.stream().anyMatch(o -> !m.equals(o))) {
          return true;
        }
      }
    }
    return false;
  }
}
