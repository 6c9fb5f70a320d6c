package org.qingfeng.cli;

import java.util.concurrent.Callable;

import org.qingfeng.sim.FaultOptions;
import org.qingfeng.sim.MessageIdFormat;
import org.qingfeng.sim.ReceiptMix;
import org.qingfeng.sim.SimulatorOptions;
import org.qingfeng.sim.SmscSimulator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qingfeng smsc-sim}: runs the SMSC simulator as its own process until SIGTERM / Ctrl-C. */
@Command(name = "smsc-sim", mixinStandardHelpOptions = true,
        description = "Run an SMPP 3.4 SMSC simulator: accepts binds and submit_sm, sends delivery receipts"
                + " and MO messages, injects faults, and reports what it received over HTTP"
                + " (GET /summary, GET /ledger, GET /receipts, POST /mo).")
public final class SmscSimCommand implements Callable<Integer> {

    static final String PASSWORD_ENV = "QINGFENG_SMSC_SIM_PASSWORD";

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "2775", description = "SMPP port, 0 = any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--http-port", defaultValue = "0",
            description = "HTTP port, 0 = any free port, -1 = off (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--system-id", defaultValue = "qingfeng", description = "system_id accepted in binds (default: ${DEFAULT-VALUE}).")
    String systemId;

    @Option(names = "--password", description = "Bind password (default: $" + PASSWORD_ENV + ", else 'secret').")
    String password;

    @Option(names = "--id-format", defaultValue = "DECIMAL",
            description = "Message id format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    MessageIdFormat idFormat;

    @Option(names = "--receipt-delay-ms", defaultValue = "200", description = "Receipt delay after the response (default: ${DEFAULT-VALUE}).")
    long receiptDelayMs;

    @Option(names = "--receipt-mix", defaultValue = "DELIVRD=100",
            description = "Receipt state weights, e.g. DELIVRD=90,UNDELIV=5,EXPIRED=3,REJECTD=2 (default: ${DEFAULT-VALUE}).")
    String receiptMix;

    @Option(names = "--receipt-threads", defaultValue = "32",
            description = "Receipts in flight at once, each waiting for its deliver_sm_resp; 1 keeps strict due order (default: ${DEFAULT-VALUE}).")
    int receiptThreads;

    @Option(names = "--max-rate", defaultValue = "0",
            description = "Submits per second before ESME_RTHROTTLED, 0 = unlimited (default: ${DEFAULT-VALUE}).")
    int maxRate;

    @Option(names = "--drop-link-every", defaultValue = "0",
            description = "Close the connection on every Nth submit without answering it, 0 = off (default: ${DEFAULT-VALUE}).")
    int dropLinkEvery;

    @Option(names = "--drop-link-every-ms", defaultValue = "0",
            description = "Close every SMPP connection every N milliseconds whatever the traffic, 0 = off (default: ${DEFAULT-VALUE}).")
    long dropLinkEveryMs;

    @Option(names = "--response-delay-ms", defaultValue = "0", description = "Delay before each submit_sm_resp (default: ${DEFAULT-VALUE}).")
    long responseDelayMs;

    @Option(names = "--receipt-before-response", description = "Send each receipt before its submit_sm_resp.")
    boolean receiptBeforeResponse;

    @Option(names = "--error-rate", defaultValue = "0.0",
            description = "Fraction of submits answered ESME_RSYSERR, 0..1 (default: ${DEFAULT-VALUE}).")
    double errorRate;

    @Option(names = "--queue-full-every", defaultValue = "0",
            description = "Answer ESME_RMSGQFUL on every Nth submit, 0 = off (default: ${DEFAULT-VALUE}).")
    int queueFullEvery;

    @Option(names = "--seed", description = "Seed for receipt mix and error draws (default: time based).")
    Long seed;

    @Override
    public Integer call() throws Exception {
        SimulatorOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            System.err.println("qingfeng smsc-sim: " + e.getMessage());
            return ExitCodes.BAD_CONFIG;
        }
        // Installed before start so that an early Ctrl-C still stops the simulator cleanly.
        SignalWaiter signals = new SignalWaiter();
        try (SmscSimulator simulator = SmscSimulator.start(options)) {
            System.out.println("SMSC simulator SMPP port " + simulator.port() + " on " + host);
            System.out.println("SMSC simulator HTTP port " + simulator.httpPort());
            System.out.flush();
            String signal = signals.await();
            System.out.println("SMSC simulator stopping on " + signal);
        }
        return ExitCodes.OK;
    }

    private SimulatorOptions options() {
        SimulatorOptions options = new SimulatorOptions()
                .host(host)
                .port(port)
                .httpPort(httpPort)
                .systemId(systemId)
                .password(password != null ? password : defaultPassword())
                .messageIdFormat(idFormat)
                .receiptDelayMs(receiptDelayMs)
                .receiptMix(ReceiptMix.parse(receiptMix))
                .receiptThreads(receiptThreads)
                .maxSubmitsPerSecond(maxRate)
                .dropLinksEveryMs(dropLinkEveryMs)
                .faults(FaultOptions.none()
                        .dropLinkEverySubmits(dropLinkEvery)
                        .responseDelayMs(responseDelayMs)
                        .receiptBeforeResponse(receiptBeforeResponse)
                        .errorRate(errorRate)
                        .queueFullEvery(queueFullEvery));
        if (seed != null) {
            options.seed(seed);
        }
        return options;
    }

    private static String defaultPassword() {
        String fromEnv = System.getenv(PASSWORD_ENV);
        return fromEnv == null || fromEnv.isEmpty() ? "secret" : fromEnv;
    }
}
