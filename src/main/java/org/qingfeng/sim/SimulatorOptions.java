package org.qingfeng.sim;

import java.util.Objects;

/** Start-up settings of the {@link SmscSimulator}; builder-style, defaults as documented per setter. */
public final class SimulatorOptions {

    private String host = "127.0.0.1";
    private int port = 2775;
    private String systemId = "qingfeng";
    private String password = "secret";
    private MessageIdFormat messageIdFormat = MessageIdFormat.DECIMAL;
    private long receiptDelayMs = 200;
    private ReceiptMix receiptMix = ReceiptMix.ALL_DELIVERED;
    private int maxSubmitsPerSecond;
    private int httpPort;
    private long seed = System.nanoTime();
    private int sessionThreads = 8;
    private int receiptThreads = 1;
    private FaultOptions faults = FaultOptions.none();
    private long dropLinksEveryMs;

    /** Address the SMPP (and HTTP) listeners bind to [127.0.0.1]. */
    public SimulatorOptions host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** SMPP port [2775]; 0 picks an ephemeral port, read it back with {@link SmscSimulator#port()}. */
    public SimulatorOptions port(int port) {
        this.port = requirePort(port, false);
        return this;
    }

    /** The only system_id accepted in binds [qingfeng]. */
    public SimulatorOptions systemId(String systemId) {
        this.systemId = Objects.requireNonNull(systemId, "systemId");
        return this;
    }

    /** The password expected in binds [secret]. */
    public SimulatorOptions password(String password) {
        this.password = Objects.requireNonNull(password, "password");
        return this;
    }

    /** Format of the message ids handed out [DECIMAL]. */
    public SimulatorOptions messageIdFormat(MessageIdFormat format) {
        this.messageIdFormat = Objects.requireNonNull(format, "messageIdFormat");
        return this;
    }

    /** How long after the submit_sm_resp a receipt is sent [200 ms]. */
    public SimulatorOptions receiptDelayMs(long delayMs) {
        if (delayMs < 0) {
            throw new IllegalArgumentException("receiptDelayMs must be >= 0, was " + delayMs);
        }
        this.receiptDelayMs = delayMs;
        return this;
    }

    /** Weights of the receipt final states [DELIVRD=100]. */
    public SimulatorOptions receiptMix(ReceiptMix mix) {
        this.receiptMix = Objects.requireNonNull(mix, "receiptMix");
        return this;
    }

    public SimulatorOptions receiptMix(int delivrd, int undeliv, int expired, int rejectd) {
        return receiptMix(ReceiptMix.of(delivrd, undeliv, expired, rejectd));
    }

    /** Submits accepted per second over all sessions before answering ESME_RTHROTTLED [0 = unlimited]. */
    public SimulatorOptions maxSubmitsPerSecond(int perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("maxSubmitsPerSecond must be >= 0, was " + perSecond);
        }
        this.maxSubmitsPerSecond = perSecond;
        return this;
    }

    /** HTTP port for /summary, /ledger and /mo [0 = ephemeral, -1 = no HTTP endpoint]. */
    public SimulatorOptions httpPort(int httpPort) {
        this.httpPort = requirePort(httpPort, true);
        return this;
    }

    /** Seed of the simulator's randomness (receipt mix, error rate, id start) [time based]. */
    public SimulatorOptions seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Threads that process the PDUs of each SMPP session [8]; enough for a client window of 50. */
    public SimulatorOptions sessionThreads(int threads) {
        this.sessionThreads = requirePositive(threads, "sessionThreads");
        return this;
    }

    /**
     * Threads that send receipts and MO messages [1]. One thread puts receipts on the wire
     * strictly in the order they fall due and still keeps up with ~10k submits/s on loopback;
     * more threads help only when clients answer deliver_sm slowly, at the cost of that order.
     */
    public SimulatorOptions receiptThreads(int threads) {
        this.receiptThreads = requirePositive(threads, "receiptThreads");
        return this;
    }

    /** Faults active from the start [none]; change them later with {@link SmscSimulator#setFaults}. */
    public SimulatorOptions faults(FaultOptions faults) {
        this.faults = Objects.requireNonNull(faults, "faults").copy();
        return this;
    }

    /**
     * Close every SMPP connection (without unbind, as a network failure would) every this many
     * milliseconds, whatever the traffic [0 = off]. Submits in flight at that moment are left
     * outcome-unknown on the client's side.
     */
    public SimulatorOptions dropLinksEveryMs(long everyMs) {
        if (everyMs < 0) {
            throw new IllegalArgumentException("dropLinksEveryMs must be >= 0, was " + everyMs);
        }
        this.dropLinksEveryMs = everyMs;
        return this;
    }

    public long dropLinksEveryMs() {
        return dropLinksEveryMs;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String systemId() {
        return systemId;
    }

    public String password() {
        return password;
    }

    public MessageIdFormat messageIdFormat() {
        return messageIdFormat;
    }

    public long receiptDelayMs() {
        return receiptDelayMs;
    }

    public ReceiptMix receiptMix() {
        return receiptMix;
    }

    public int maxSubmitsPerSecond() {
        return maxSubmitsPerSecond;
    }

    public int httpPort() {
        return httpPort;
    }

    public long seed() {
        return seed;
    }

    public int sessionThreads() {
        return sessionThreads;
    }

    public int receiptThreads() {
        return receiptThreads;
    }

    public FaultOptions faults() {
        return faults.copy();
    }

    private static int requirePort(int port, boolean allowOff) {
        if (port > 65535 || port < (allowOff ? -1 : 0)) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return port;
    }

    private static int requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
        return value;
    }
}
