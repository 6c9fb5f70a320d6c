package org.qingfeng.sim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real SMPP 3.4 SMSC on jSMPP for tests and local runs: binds ESMEs, accepts submit_sm into a
 * {@link Ledger}, sends delivery receipts and MO messages, and injects faults on demand.
 *
 * <pre>{@code
 * try (SmscSimulator smsc = SmscSimulator.start(new SimulatorOptions().port(0))) {
 *     // bind a client to smsc.port(), submit, then inspect smsc.ledger()
 * }
 * }</pre>
 */
public final class SmscSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmscSimulator.class);
    private static final long UNBIND_GRACE_MS = 1_000;
    private static final int SESSION_QUEUE_CAPACITY = 1_000;
    private static final int MAX_EARLY_RECEIPTS = 1_024;

    private final Ledger ledger = new Ledger();
    private final SimulatorStats stats = new SimulatorStats();
    private final BoundSessions sessions = new BoundSessions();
    private final ExecutorService handshakes;
    private final ScheduledThreadPoolExecutor deliveries;
    private final ThreadPoolExecutor earlyReceipts;
    private final SMPPServerSessionListener listener;
    private final BindAcceptor acceptor;
    private final Thread acceptThread;
    private final MoSender moSender;
    private final int port;
    private volatile FaultOptions faults;
    private volatile SimulatorHttp http;
    private volatile boolean closed;

    private SmscSimulator(SimulatorOptions options) throws IOException {
        this.faults = options.faults();
        Random random = new Random(options.seed());
        this.handshakes = Executors.newCachedThreadPool(daemonThreads("smsc-sim-bind"));
        this.deliveries = new ScheduledThreadPoolExecutor(options.receiptThreads(), daemonThreads("smsc-sim-deliver"));
        this.deliveries.setRemoveOnCancelPolicy(true);
        // Receipts sent before their response each hold a thread until acknowledged; a client
        // window (at most 1000 in Qingfeng's settings) bounds how many are outstanding.
        this.earlyReceipts = new ThreadPoolExecutor(0, MAX_EARLY_RECEIPTS, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemonThreads("smsc-sim-early-receipt"));
        ReceiptSender receipts = new ReceiptSender(deliveries, earlyReceipts, sessions, stats, ledger, options.receiptMix(),
                options.receiptDelayMs(), random);
        this.moSender = new MoSender(deliveries, sessions, stats);
        SubmitHandler submits = new SubmitHandler(() -> faults, SubmitRateLimiter.perSecond(options.maxSubmitsPerSecond()),
                new MessageIds(options.messageIdFormat(), options.seed()), ledger, sessions, receipts, stats, random);

        TcpNoDelayServerConnectionFactory sockets = new TcpNoDelayServerConnectionFactory(options.host());
        this.listener = new SMPPServerSessionListener(options.port(), sockets);
        this.port = sockets.boundPort();
        listener.setPduProcessorDegree(options.sessionThreads());
        listener.setQueueCapacity(SESSION_QUEUE_CAPACITY);
        listener.setSessionStateListener(sessions);
        listener.setMessageReceiverListener(submits);
        listener.setResponseDeliveryListener(submits);
        this.acceptor = new BindAcceptor(listener, handshakes, deliveries, sessions, stats,
                options.systemId(), options.password());
        this.acceptThread = daemonThreads("smsc-sim-accept").newThread(acceptor);
    }

    /** Binds the SMPP port (and the HTTP port unless it is -1) and starts accepting binds. */
    public static SmscSimulator start(SimulatorOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        SmscSimulator simulator = new SmscSimulator(options);
        simulator.acceptThread.start();
        if (options.dropLinksEveryMs() > 0) {
            long every = options.dropLinksEveryMs();
            simulator.deliveries.scheduleAtFixedRate(simulator::dropLinksOnSchedule, every, every, TimeUnit.MILLISECONDS);
        }
        if (options.httpPort() >= 0) {
            try {
                simulator.http = SimulatorHttp.start(options.host(), options.httpPort(), simulator);
            } catch (Exception e) {
                simulator.close();
                throw new IOException("SMSC simulator HTTP endpoint failed to start on port " + options.httpPort(), e);
            }
        }
        LOG.info("SMSC simulator listening on {}:{} (HTTP {}), receipts {} after {} ms, max {} submits/s, faults {}",
                options.host(), simulator.port, simulator.httpPort(), options.receiptMix(), options.receiptDelayMs(),
                options.maxSubmitsPerSecond() == 0 ? "unlimited" : options.maxSubmitsPerSecond(),
                options.dropLinksEveryMs() > 0 ? simulator.faults + ", links dropped every " + options.dropLinksEveryMs() + " ms"
                        : simulator.faults);
        return simulator;
    }

    /** The SMPP port actually bound. */
    public int port() {
        return port;
    }

    /** The HTTP port actually bound, or -1 when the endpoint is off. */
    public int httpPort() {
        SimulatorHttp current = http;
        return current == null ? -1 : current.port();
    }

    public Ledger ledger() {
        return ledger;
    }

    public SimulatorSummary summary() {
        return stats.summarize(ledger);
    }

    public FaultOptions faults() {
        return faults.copy();
    }

    /** Replaces the active faults; applies from the next submit on. */
    public void setFaults(FaultOptions faults) {
        this.faults = Objects.requireNonNull(faults, "faults").copy();
        LOG.info("SMSC simulator faults now {}", this.faults);
    }

    /** Closes every SMPP connection without unbinding, as a network failure would. */
    public void dropAllLinks() {
        for (SMPPServerSession session : sessions.all()) {
            stats.droppedLinks.increment();
            session.close();
        }
    }

    private void dropLinksOnSchedule() {
        int bound = sessions.all().size();
        LOG.info("Fault: dropping all {} SMPP links (timed)", bound);
        dropAllLinks();
    }

    /** Sends an MO message to every bound receiver/transceiver session, asynchronously. */
    public void sendMo(String from, String to, String text) {
        queueMo(from, to, text);
    }

    /** As {@link #sendMo}, returning how many sessions the MO was queued for. */
    int queueMo(String from, String to, String text) {
        if (closed) {
            throw new IllegalStateException("simulator is closed");
        }
        return moSender.send(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"),
                Objects.requireNonNull(text, "text"));
    }

    /** Unbinds every session (briefly waiting for unbind_resp), closes the sockets, stops all threads. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        acceptor.stop();
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("Closing SMPP listener: {}", e.toString());
        }
        unbindAll();
        deliveries.shutdownNow();
        earlyReceipts.shutdownNow();
        handshakes.shutdownNow();
        SimulatorHttp current = http;
        if (current != null) {
            current.close();
        }
        awaitQuietly(deliveries);
        awaitQuietly(earlyReceipts);
        awaitQuietly(handshakes);
        LOG.info("SMSC simulator on port {} closed after {} submits", port, ledger.submits());
    }

    /** Unbinds in parallel so a client that never answers costs one grace period, not one each. */
    private void unbindAll() {
        List<CompletableFuture<Void>> unbinds = new ArrayList<>();
        for (SMPPServerSession session : sessions.all()) {
            unbinds.add(CompletableFuture.runAsync(session::unbindAndClose, handshakes));
        }
        try {
            CompletableFuture.allOf(unbinds.toArray(CompletableFuture[]::new)).get(UNBIND_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Not every session unbound in time: {}", e.toString());
        }
        sessions.all().forEach(SMPPServerSession::close);
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
