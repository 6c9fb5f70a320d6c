package org.qingfeng.sms.smpp;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.MessageReceiverListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Keeps one channel bound: binds a transceiver (or a transmitter plus a receiver), notices a
 * lost link, and rebinds with exponential backoff and jitter until closed. Its state lives on
 * the channel's context; jSMPP's threads only post to it. The blocking bind runs on its own
 * single worker so it never competes with submits for the submit pool.
 */
final class SmppLink {
    private static final Logger log = LoggerFactory.getLogger(SmppLink.class);
    /**
     * jSMPP runs every incoming PDU (submit_sm_resp and deliver_sm alike) on one pool per session.
     * A deliver_sm holds its thread until the receipt is published (acks=all: milliseconds), so a
     * small pool lets a burst of receipts starve the submit responses and the channel falls to the
     * receipt rate. Twice the window keeps responses flowing while receipts wait on Kafka.
     */
    static int pduProcessorThreads(int window) {
        return Math.max(16, Math.min(512, window * 2));
    }

    private static final int PDU_QUEUE_CAPACITY = 2_000;

    /** A bound transmitter, tagged with the bind it came from. */
    record Bound(AbortableSmppSession transmitter, long generation) {
    }

    private final Vertx vertx;
    private final Context context;
    private final ChannelConfig config;
    private final MessageReceiverListener receiver;
    private final TcpNoDelayConnectionFactory connectionFactory = new TcpNoDelayConnectionFactory(5_000);
    private final RebindBackoff backoff;
    private final WorkerExecutor bindWorker;
    private final Consumer<ChannelState> stateListener;
    private final IntConsumer inFlightAtLoss;
    private final List<Promise<Bound>> boundWaiters = new ArrayList<>();

    private List<AbortableSmppSession> sessions = List.of();
    /** Read by the submit sender; written on the context only. */
    private volatile Bound current;
    private long generation;
    private int failedAttempts;
    private boolean closed = true;
    private volatile ChannelState state = ChannelState.UNBOUND;

    /**
     * @param inFlightAtLoss told, on a jSMPP thread, how many submit_sm were written and unanswered
     *                       when a session was lost: the submits whose outcome is now unknown
     */
    SmppLink(Vertx vertx, Context context, ChannelConfig config, MessageReceiverListener receiver,
             Consumer<ChannelState> stateListener, IntConsumer inFlightAtLoss) {
        this.inFlightAtLoss = inFlightAtLoss;
        this.vertx = vertx;
        this.context = context;
        this.config = config;
        this.receiver = receiver;
        this.stateListener = stateListener;
        this.backoff = new RebindBackoff(config.rebindBackoffMinMs, config.rebindBackoffMaxMs);
        this.bindWorker = vertx.createSharedWorkerExecutor("smpp-bind-" + config.name, 1);
    }

    /** Starts binding (on the channel context); binding failures are retried, never returned. */
    void start() {
        closed = false;
        connect();
    }

    ChannelState state() {
        return state;
    }

    /** The current transmitter, or null while not bound. Any thread (the submit sender reads it). */
    Bound current() {
        return current;
    }

    boolean isCurrent(long bindGeneration) {
        return current != null && current.generation() == bindGeneration;
    }

    /** Completes (on the channel context) once bound; at once if bound now. */
    Future<Bound> awaitBound() {
        if (current != null) {
            return Future.succeededFuture(current);
        }
        if (closed) {
            return Future.failedFuture(new IllegalStateException("channel " + config.name + " is closed"));
        }
        Promise<Bound> waiter = Promise.promise();
        boundWaiters.add(waiter);
        return waiter.future();
    }

    Future<Void> close() {
        closed = true;
        current = null;
        setState(ChannelState.UNBOUND);
        List<AbortableSmppSession> toClose = sessions;
        sessions = List.of();
        failWaiters();
        return bindWorker.executeBlocking(() -> {
            toClose.forEach(AbortableSmppSession::unbindAndClose);
            return null;
        }, false).<Void>mapEmpty().eventually(bindWorker::close);
    }

    private void connect() {
        if (closed) {
            return;
        }
        setState(ChannelState.CONNECTING);
        long bindGeneration = ++generation;
        bindWorker.executeBlocking(() -> bindSessions(bindGeneration), false).onComplete(result -> {
            if (closed || bindGeneration != generation) {
                if (result.succeeded()) {
                    result.result().forEach(AbortableSmppSession::unbindAndClose);
                }
                return;
            }
            if (result.failed()) {
                long delay = backoff.delayMs(failedAttempts++);
                log.warn("channel {}: bind to {}:{} failed ({}); retrying in {} ms", config.name, config.host,
                        config.port, result.cause().toString(), delay);
                vertx.setTimer(delay, id -> connect());
                return;
            }
            failedAttempts = 0;
            sessions = result.result();
            current = new Bound(sessions.get(0), bindGeneration);
            log.info("channel {}: bound {} to {}:{}", config.name, config.bindMode, config.host, config.port);
            if (aSessionIsLost()) {
                // A session closed before this result reached the context; its linkLost found no
                // current bind and ignored it, so nothing else would notice the dead link.
                linkLost(bindGeneration);
                return;
            }
            setState(ChannelState.BOUND);
            List<Promise<Bound>> waiters = new ArrayList<>(boundWaiters);
            boundWaiters.clear();
            waiters.forEach(w -> w.complete(current));
        });
    }

    /** Worker thread: opens the sessions; the transmitting one first. */
    private List<AbortableSmppSession> bindSessions(long bindGeneration) throws Exception {
        List<AbortableSmppSession> opened = new ArrayList<>();
        try {
            if (config.bindMode == BindMode.TRANSCEIVER) {
                opened.add(bindOne(BindType.BIND_TRX, bindGeneration));
            } else {
                opened.add(bindOne(BindType.BIND_TX, bindGeneration));
                opened.add(bindOne(BindType.BIND_RX, bindGeneration));
            }
            return opened;
        } catch (Exception e) {
            opened.forEach(AbortableSmppSession::unbindAndClose);
            throw e;
        }
    }

    private AbortableSmppSession bindOne(BindType type, long bindGeneration) throws Exception {
        AbortableSmppSession session = new AbortableSmppSession(connectionFactory, inFlightAtLoss);
        session.setPduProcessorDegree(pduProcessorThreads(config.window));
        session.setQueueCapacity(PDU_QUEUE_CAPACITY);
        session.setTransactionTimer(config.responseTimeoutMs);
        session.setEnquireLinkTimer(config.enquireLinkSeconds * 1000);
        if (type != BindType.BIND_TX) {
            session.setMessageReceiverListener(receiver);
        }
        session.addSessionStateListener((newState, oldState, source) -> {
            if (newState == SessionState.CLOSED || newState == SessionState.UNBOUND) {
                // Wake blocked submits now (jSMPP thread; the session counts what was in flight);
                // the rebind decision is made on the context.
                session.abortPendingRequests(config.window + 32);
                context.runOnContext(v -> linkLost(bindGeneration));
            }
        });
        BindParameter bind = new BindParameter(type, config.systemId, config.password, config.systemType,
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null);
        session.connectAndBind(config.host, config.port, bind, config.responseTimeoutMs);
        return session;
    }

    /**
     * Context: a submit could not be written on bind {@code bindGeneration}. If that bind is still
     * current but a session of it is gone, nothing else noticed (its close was lost, or came
     * before the bind result): treat the link as lost instead of failing every part against it.
     */
    void notWritten(long bindGeneration) {
        if (!closed && isCurrent(bindGeneration) && aSessionIsLost()) {
            linkLost(bindGeneration); // usually a step ahead of the session's own close event
        }
    }

    /** Context: whether a session of the current bind is gone (see {@link AbortableSmppSession#isLost()}). */
    private boolean aSessionIsLost() {
        return sessions.stream().anyMatch(AbortableSmppSession::isLost);
    }

    private void linkLost(long bindGeneration) {
        if (closed || current == null || current.generation() != bindGeneration) {
            return; // an old or never-completed bind
        }
        log.warn("channel {}: link to {}:{} lost; rebinding", config.name, config.host, config.port);
        current = null;
        List<AbortableSmppSession> toClose = sessions;
        sessions = List.of();
        bindWorker.executeBlocking(() -> {
            toClose.forEach(AbortableSmppSession::close); // the other half of a TX+RX pair
            return null;
        }, false);
        setState(ChannelState.CONNECTING);
        vertx.setTimer(backoff.delayMs(0), id -> connect());
    }

    private void failWaiters() {
        List<Promise<Bound>> waiters = new ArrayList<>(boundWaiters);
        boundWaiters.clear();
        waiters.forEach(w -> w.fail(new IllegalStateException("channel " + config.name + " is closed")));
    }

    private void setState(ChannelState next) {
        if (state != next) {
            state = next;
            stateListener.accept(next);
        }
    }
}
