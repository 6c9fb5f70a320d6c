package org.qingfeng.sms.smpp;

import java.util.List;

/** How a whole message ended: submitted only when every part was. */
public final class SubmitOutcome {
    public static final String NOT_SENT = "not_sent";

    private final String messageId;
    private final String channel;
    private final String encoding;
    private final List<PartOutcome> parts;

    SubmitOutcome(String messageId, String channel, String encoding, List<PartOutcome> parts) {
        this.messageId = messageId;
        this.channel = channel;
        this.encoding = encoding;
        this.parts = List.copyOf(parts);
    }

    public String messageId() {
        return messageId;
    }

    public String channel() {
        return channel;
    }

    /** GSM7 or UCS2. */
    public String encoding() {
        return encoding;
    }

    public List<PartOutcome> parts() {
        return parts;
    }

    public boolean accepted() {
        for (int i = 0; i < parts.size(); i++) { // every caller asks, once per message: no stream
            if (!"submitted".equals(parts.get(i).status())) {
                return false;
            }
        }
        return true;
    }

    /** submitted, or the status of the first part that was not. */
    public String status() {
        return parts.stream().map(PartOutcome::status).filter(s -> !"submitted".equals(s)).findFirst().orElse("submitted");
    }

    /** The command_status of the first failed part, 0 when accepted. */
    public int commandStatus() {
        return parts.stream().filter(p -> !"submitted".equals(p.status())).mapToInt(PartOutcome::commandStatus)
                .findFirst().orElse(0);
    }

    public List<String> smscIds() {
        return parts.stream().map(PartOutcome::smscId).toList();
    }

    @Override
    public String toString() {
        return "SubmitOutcome{" + messageId + " via " + channel + " " + status() + " " + parts + "}";
    }
}
