package org.qingfeng.receipts;

import java.util.ArrayList;
import java.util.List;
import org.qingfeng.sms.events.SmsEvent;

/** Builds sms.events records the way the SMPP connector publishes them (event ids included). */
public final class TestEvents {
  public static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private TestEvents() {
  }

  public static SmsEvent submit(String channel, String messageId, Long campaignId, int part, int total, String smscId,
      String status, int commandStatus, long submittedAt) {
    SmsEvent e = new SmsEvent();
    e.type = SmsEvent.TYPE_SUBMIT_RESULT;
    e.channel = channel;
    e.messageId = messageId;
    e.campaignId = campaignId;
    e.partIndex = part;
    e.partTotal = total;
    e.smscId = smscId;
    e.status = status;
    e.commandStatus = commandStatus;
    e.submittedAt = submittedAt;
    e.receivedAt = submittedAt + 5;
    e.eventId = channel + ":" + (smscId != null ? smscId : messageId + "#" + part) + ":" + e.type + ":" + status;
    return e;
  }

  public static SmsEvent receipt(String channel, String smscId, String messageId, int part, int total, String state,
      String errorCode, long receivedAt) {
    SmsEvent e = new SmsEvent();
    e.type = SmsEvent.TYPE_RECEIPT;
    e.channel = channel;
    e.smscId = smscId;
    e.messageId = messageId;
    e.partIndex = messageId == null ? 0 : part;
    e.partTotal = messageId == null ? 0 : total;
    e.status = state;
    e.statWord = state.substring(0, Math.min(7, state.length()));
    e.errorCode = errorCode;
    e.doneAt = receivedAt - 1;
    e.receivedAt = receivedAt;
    e.eventId = channel + ":" + smscId + ":" + e.type + ":" + state;
    return e;
  }

  /**
   * A mixed stream of exactly {@code count} events: single and 3-part messages over two channels
   * and three campaigns (and test sends), delivered, failed, rejected and never-answered messages,
   * and every tenth message with its receipts before its submit results.
   */
  public static List<SmsEvent> mixed(int count) {
    List<SmsEvent> out = new ArrayList<>(count + 8);
    for (int i = 0; out.size() < count; i++) {
      out.addAll(message(i));
    }
    return new ArrayList<>(out.subList(0, count));
  }

  public static List<SmsEvent> message(int i) {
    String channel = i % 5 == 0 ? "ch2" : "sim";
    Long campaign = i % 4 == 0 ? null : (long) (i % 4);
    String id = campaign == null ? "test-" + i : Integer.toString(100_000 + i);
    int parts = i % 3 == 2 ? 3 : 1;
    long submittedAt = T0 + i * 7L;
    List<SmsEvent> submits = new ArrayList<>();
    List<SmsEvent> receipts = new ArrayList<>();
    boolean early = i % 10 == 4;
    for (int k = 1; k <= parts; k++) {
      String smsc = Integer.toHexString(0x100000 + i * 4 + k);
      if (i % 50 == 7 && k == 1) {
        submits.add(submit(channel, id, campaign, k, parts, null, "rejected", 0x58, submittedAt));
        break;
      }
      submits.add(submit(channel, id, campaign, k, parts, smsc, "submitted", 0, submittedAt + k));
      if (i % 40 == 9) {
        continue; // never answered
      }
      boolean fails = i % 20 == 3 && k == parts;
      long at = submittedAt + 200 + (i * 37L % 90_000);
      receipts.add(receipt(channel, smsc, early ? null : id, k, parts, fails ? "UNDELIVERABLE" : "DELIVERED",
          fails ? "00" + (1 + i % 3) : "000", at));
    }
    List<SmsEvent> out = new ArrayList<>();
    if (early) {
      out.addAll(receipts);
      out.addAll(submits);
    } else {
      out.addAll(submits);
      out.addAll(receipts);
    }
    return out;
  }
}
