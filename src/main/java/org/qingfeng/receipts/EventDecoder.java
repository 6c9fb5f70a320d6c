package org.qingfeng.receipts;

import com.jsoniter.JsonIterator;
import java.util.Locale;
import java.util.Set;
import org.qingfeng.sms.events.SmsEvent;
import org.qingfeng.sms.receipt.ReceiptState;

/**
 * Reads an sms.events record and checks that it can be applied. A record that fails here can
 * never be applied however often it is retried, so it goes to the dead-letter topic at once.
 */
public final class EventDecoder {
  static final int MAX_TEXT = 256;
  static final int MAX_PARTS = 255;
  private static final Set<String> SUBMIT_STATUSES =
      Set.of(SmsEvent.STATUS_SUBMITTED, SmsEvent.STATUS_REJECTED, SmsEvent.STATUS_OUTCOME_UNKNOWN);

  /** A decoded event, or the reason it cannot be applied. */
  public record Decoded(SmsEvent event, String reason) {
    public boolean ok() {
      return event != null;
    }
  }

  private EventDecoder() {
  }

  public static Decoded decode(String json) {
    if (json == null || json.isBlank()) {
      return new Decoded(null, "empty record");
    }
    SmsEvent e;
    try {
      e = JsonIterator.deserialize(json, SmsEvent.class);
    } catch (RuntimeException ex) {
      return new Decoded(null, "invalid JSON: " + firstLine(ex.getMessage()));
    }
    if (e == null) {
      return new Decoded(null, "not a JSON object");
    }
    String reason = validate(e);
    return reason == null ? new Decoded(normalise(e), null) : new Decoded(null, reason);
  }

  static String validate(SmsEvent e) {
    if (!text(e.eventId) || !text(e.channel)) {
      return "eventId and channel are required (at most " + MAX_TEXT + " characters)";
    }
    if (!optionalText(e.messageId) || !optionalText(e.smscId) || !optionalText(e.statWord)
        || !optionalText(e.errorCode) || !optionalText(e.status)) {
      return "a text field is longer than " + MAX_TEXT + " characters";
    }
    if (e.receivedAt <= 0 || negative(e.submittedAt) || negative(e.doneAt)) {
      return "receivedAt must be positive and times may not be negative";
    }
    if (e.campaignId != null && e.campaignId <= 0) {
      return "campaignId must be positive";
    }
    if (SmsEvent.TYPE_SUBMIT_RESULT.equals(e.type)) {
      if (!text(e.messageId)) {
        return "a submit_result needs a messageId";
      }
      if (e.partTotal < 1 || e.partTotal > MAX_PARTS || e.partIndex < 1 || e.partIndex > e.partTotal) {
        return "impossible part " + e.partIndex + "/" + e.partTotal;
      }
      if (e.status == null || !SUBMIT_STATUSES.contains(e.status)) { // Set.of throws on contains(null)
        return "unknown submit status '" + e.status + "'";
      }
      if (SmsEvent.STATUS_SUBMITTED.equals(e.status) && !text(e.smscId)) {
        return "a submitted part needs an smscId";
      }
      return null;
    }
    if (SmsEvent.TYPE_RECEIPT.equals(e.type)) {
      if (!text(e.smscId)) {
        return "a receipt needs an smscId";
      }
      try {
        ReceiptState.valueOf(e.status == null ? "" : e.status.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException ex) {
        return "unknown receipt state '" + e.status + "'";
      }
      return null;
    }
    return "unknown event type '" + e.type + "'";
  }

  private static SmsEvent normalise(SmsEvent e) {
    if (SmsEvent.TYPE_RECEIPT.equals(e.type)) {
      e.status = e.status.toLowerCase(Locale.ROOT);
    }
    return e;
  }

  private static boolean text(String s) {
    return s != null && !s.isBlank() && s.length() <= MAX_TEXT;
  }

  private static boolean optionalText(String s) {
    return s == null || s.length() <= MAX_TEXT;
  }

  private static boolean negative(Long t) {
    return t != null && t < 0;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
