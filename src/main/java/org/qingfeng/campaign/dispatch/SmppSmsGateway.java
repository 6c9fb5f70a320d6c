package org.qingfeng.campaign.dispatch;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Supplier;
import org.qingfeng.campaign.SendResult;
import org.qingfeng.campaign.SmsGateway;
import org.qingfeng.sms.SmsChannels;
import org.qingfeng.sms.smpp.OutboundSms;
import org.qingfeng.sms.smpp.SmppChannel;
import org.qingfeng.sms.smpp.SubmitOutcome;

/**
 * Campaigns' way onto the SMPP channels. "default" names the first channel (the simulator when
 * none is configured). The channel applies its own window and part-counting throttle and
 * resubmits outcome-unknown parts by its policy; what it reports is mapped to the ledger's terms.
 */
public final class SmppSmsGateway implements SmsGateway {
  public static final String DEFAULT_CHANNEL = "default";
  private final Supplier<SmsChannels> channels;

  public SmppSmsGateway(Supplier<SmsChannels> channels) {
    this.channels = channels;
  }

  @Override
  public Future<SendResult> send(String channel, String messageId, String destinationE164, String text) {
    return submit(channel, new OutboundSms(messageId, destinationE164, text));
  }

  @Override
  public Future<SendResult> send(String channel, long campaignId, String messageId, String destinationE164, String text) {
    return submit(channel, new OutboundSms(messageId, destinationE164, text, null, campaignId));
  }

  private Future<SendResult> submit(String channel, OutboundSms sms) {
    Optional<SmppChannel> target = resolve(channel);
    if (target.isEmpty()) {
      return Future.succeededFuture(SendResult.retry("channel '" + channel + "' is not running on this instance"));
    }
    return target.get().submit(sms).map(SmppSmsGateway::toResult);
  }

  private Optional<SmppChannel> resolve(String name) {
    SmsChannels all = channels.get();
    if (all == null || all.all().isEmpty()) {
      return Optional.empty();
    }
    if (name == null || DEFAULT_CHANNEL.equals(name)) {
      return Optional.of(all.all().values().iterator().next());
    }
    return all.channel(name);
  }

  static SendResult toResult(SubmitOutcome outcome) {
    if (outcome.accepted()) {
      return SendResult.submitted(outcome.smscIds());
    }
    String why = "SMPP " + outcome.status() + String.format(" (command_status 0x%08X)", outcome.commandStatus());
    switch (outcome.status()) {
      case "rejected":
        return SendResult.rejected(why);
      case "outcome_unknown":
        return SendResult.unknown(why);
      default:
        return SendResult.retry(why);
    }
  }
}
