package org.qingfeng.sms.smpp;

import org.qingfeng.sms.PhoneMask;
import java.util.Objects;

/** One message to send: our id, an E.164 destination, the text, and optionally a sender override. */
public final class OutboundSms {
    private final String messageId;
    private final String destination;
    private final String text;
    private final String sourceOverride;
    private final Long campaignId;

    public OutboundSms(String messageId, String destination, String text) {
        this(messageId, destination, text, null, null);
    }

    public OutboundSms(String messageId, String destination, String text, String sourceOverride) {
        this(messageId, destination, text, sourceOverride, null);
    }

    /**
     * @param campaignId the campaign ledger id of a campaign message (null for a test send); it travels
     *                   on the submit_result events so the receipt sink can count the message per campaign
     */
    public OutboundSms(String messageId, String destination, String text, String sourceOverride, Long campaignId) {
        this.messageId = Objects.requireNonNull(messageId, "messageId");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.text = Objects.requireNonNull(text, "text");
        this.sourceOverride = sourceOverride;
        this.campaignId = campaignId;
    }

    /** The campaign this message belongs to, or null. */
    public Long campaignId() {
        return campaignId;
    }

    public String messageId() {
        return messageId;
    }

    /** E.164, with or without the leading '+'. */
    public String destination() {
        return destination;
    }

    public String text() {
        return text;
    }

    /** Null means the channel's source_address. */
    public String sourceOverride() {
        return sourceOverride;
    }

    @Override
    public String toString() {
        return "OutboundSms{" + messageId + " to " + PhoneMask.mask(destination) + "}";
    }
}
