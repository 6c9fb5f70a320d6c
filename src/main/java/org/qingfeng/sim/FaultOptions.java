package org.qingfeng.sim;

import org.jsmpp.SMPPConstant;

/**
 * Faults the simulator injects into submit handling. Mutable builder-style holder; the
 * simulator takes a copy in {@link SmscSimulator#setFaults(FaultOptions)}, so changing an
 * instance after handing it over has no effect.
 */
public final class FaultOptions {

    private int dropLinkEverySubmits;
    private long responseDelayMs;
    private boolean receiptBeforeResponse;
    private double errorRate;
    private int errorStatus = SMPPConstant.STAT_ESME_RSYSERR;
    private int queueFullEvery;

    /** No faults at all: the default. */
    public static FaultOptions none() {
        return new FaultOptions();
    }

    /**
     * Close the TCP connection on every Nth submit_sm received, without answering it, so the
     * client is left with an outcome-unknown submit. 0 turns it off.
     */
    public FaultOptions dropLinkEverySubmits(int everyN) {
        this.dropLinkEverySubmits = requireNonNegative(everyN, "dropLinkEverySubmits");
        return this;
    }

    /** Delay before each submit_sm_resp (it holds one of the session's processor threads). */
    public FaultOptions responseDelayMs(long delayMs) {
        this.responseDelayMs = requireNonNegative(delayMs, "responseDelayMs");
        return this;
    }

    /**
     * Send the receipt deliver_sm before the submit_sm_resp: the race real SMSCs produce. The
     * response waits only until the deliver_sm is written, not for its acknowledgement, so any
     * client window works with the default session threads.
     */
    public FaultOptions receiptBeforeResponse(boolean enabled) {
        this.receiptBeforeResponse = enabled;
        return this;
    }

    /** Fraction (0..1) of submits answered with {@link #errorStatus()}. */
    public FaultOptions errorRate(double rate) {
        if (rate < 0.0 || rate > 1.0 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("errorRate must be within 0..1, was " + rate);
        }
        this.errorRate = rate;
        return this;
    }

    /** command_status used for {@link #errorRate()} errors; ESME_RSYSERR (0x08) by default. */
    public FaultOptions errorStatus(int status) {
        if (status == 0) {
            throw new IllegalArgumentException("errorStatus must be an error, not ESME_ROK");
        }
        this.errorStatus = status;
        return this;
    }

    /** Answer ESME_RMSGQFUL (0x14) on every Nth submit. 0 turns it off. */
    public FaultOptions queueFullEvery(int everyN) {
        this.queueFullEvery = requireNonNegative(everyN, "queueFullEvery");
        return this;
    }

    public int dropLinkEverySubmits() {
        return dropLinkEverySubmits;
    }

    public long responseDelayMs() {
        return responseDelayMs;
    }

    public boolean receiptBeforeResponse() {
        return receiptBeforeResponse;
    }

    public double errorRate() {
        return errorRate;
    }

    public int errorStatus() {
        return errorStatus;
    }

    public int queueFullEvery() {
        return queueFullEvery;
    }

    public FaultOptions copy() {
        return new FaultOptions()
                .dropLinkEverySubmits(dropLinkEverySubmits)
                .responseDelayMs(responseDelayMs)
                .receiptBeforeResponse(receiptBeforeResponse)
                .errorRate(errorRate)
                .errorStatus(errorStatus)
                .queueFullEvery(queueFullEvery);
    }

    @Override
    public String toString() {
        return "FaultOptions[dropLinkEvery=" + dropLinkEverySubmits + ", responseDelayMs=" + responseDelayMs
                + ", receiptBeforeResponse=" + receiptBeforeResponse + ", errorRate=" + errorRate
                + ", errorStatus=0x" + Integer.toHexString(errorStatus) + ", queueFullEvery=" + queueFullEvery + "]";
    }

    private static int requireNonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
        return value;
    }

    private static long requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
        return value;
    }
}
