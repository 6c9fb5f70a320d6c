package org.qingfeng.sms.smpp;

/** How one part (one submit_sm) ended. */
public final class PartOutcome {
    private final int index;
    private final int total;
    private final String status;
    private final String smscId;
    private final int commandStatus;
    private final int outcomeUnknownResubmits;
    private final long submittedAt;
    private final long answeredAt;

    PartOutcome(int index, int total, String status, String smscId, int commandStatus,
                int outcomeUnknownResubmits, long submittedAt, long answeredAt) {
        this.index = index;
        this.total = total;
        this.status = status;
        this.smscId = smscId;
        this.commandStatus = commandStatus;
        this.outcomeUnknownResubmits = outcomeUnknownResubmits;
        this.submittedAt = submittedAt;
        this.answeredAt = answeredAt;
    }

    /** 1-based. */
    public int index() {
        return index;
    }

    public int total() {
        return total;
    }

    /** submitted | rejected | outcome_unknown | not_sent (an earlier part failed). */
    public String status() {
        return status;
    }

    /** The normalised SMSC message id; null unless submitted. */
    public String smscId() {
        return smscId;
    }

    /** The SMPP command_status (0 when submitted, -1 for a local error or no answer). */
    public int commandStatus() {
        return commandStatus;
    }

    /** How often this part was sent again because a link drop swallowed its response. */
    public int outcomeUnknownResubmits() {
        return outcomeUnknownResubmits;
    }

    public long submittedAt() {
        return submittedAt;
    }

    public long answeredAt() {
        return answeredAt;
    }

    @Override
    public String toString() {
        return "part " + index + "/" + total + " " + status + (smscId != null ? " smsc=" + smscId : "")
                + (commandStatus != 0 ? String.format(" status=0x%08X", commandStatus) : "");
    }
}
