package org.qingfeng.campaign;

import io.vertx.core.Future;

/**
 * How campaigns reach the SMS channel. The SMPP connector (org.qingfeng.sms.smpp, its own
 * issue) is adapted to this at merge time; tests use an in-memory gateway that records every send.
 * Implementations apply the channel's own throttle and window; the sender applies the campaign's rate.
 */
public interface SmsGateway {
  /**
   * Submits one message. A failed future means the outcome is unknown (the link may have
   * taken the submit with it); a known refusal is a succeeded future with a non-submitted result.
   */
  Future<SendResult> send(String channel, String messageId, String destinationE164, String text);

  /**
   * The same for a campaign's ledger message: the campaign id travels with the submit results
   * so the receipt statistics can be kept per campaign.
   */
  default Future<SendResult> send(String channel, long campaignId, String messageId, String destinationE164, String text) {
    return send(channel, messageId, destinationE164, text);
  }
}
