package org.qingfeng.sim;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jsmpp.SMPPConstant;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts TCP connections and runs the bind handshake: the right system_id and password bind,
 * anything else is refused with ESME_RBINDFAIL (unknown system_id) or ESME_RINVPASWD.
 */
final class BindAcceptor implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(BindAcceptor.class);
    private static final long BIND_TIMEOUT_MS = 5_000;
    /** Bounds how long close() waits for an unbind_resp, and each deliver_sm for its response. */
    private static final long TRANSACTION_TIMER_MS = 2_000;
    /**
     * Time a refused client gets to read its bind_resp before we close: closing at once lets
     * jSMPP's client see the EOF first and wait out its whole bind timeout instead.
     */
    private static final long REFUSED_CLOSE_DELAY_MS = 500;

    private final SMPPServerSessionListener listener;
    private final ExecutorService handshakes;
    private final ScheduledExecutorService closer;
    private final BoundSessions sessions;
    private final SimulatorStats stats;
    private final String systemId;
    private final String password;
    private volatile boolean stopping;

    BindAcceptor(SMPPServerSessionListener listener, ExecutorService handshakes, ScheduledExecutorService closer,
            BoundSessions sessions, SimulatorStats stats, String systemId, String password) {
        this.listener = listener;
        this.handshakes = handshakes;
        this.closer = closer;
        this.sessions = sessions;
        this.stats = stats;
        this.systemId = systemId;
        this.password = password;
    }

    @Override
    public void run() {
        while (!stopping) {
            try {
                SMPPServerSession session = listener.accept();
                session.setTransactionTimer(TRANSACTION_TIMER_MS);
                sessions.connected(session);
                handshakes.execute(() -> handshake(session));
            } catch (IOException e) {
                if (!stopping) {
                    LOG.warn("SMPP accept failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                // The handshake pool is shut down while stopping; anything else is a bug to log.
                if (!stopping) {
                    LOG.error("SMPP accept loop error", e);
                }
            }
        }
    }

    /** Makes run() return once the listener's socket is closed. */
    void stop() {
        stopping = true;
    }

    private void handshake(SMPPServerSession session) {
        try {
            BindRequest request = session.waitForBind(BIND_TIMEOUT_MS);
            int refusal = refusalStatus(request);
            if (refusal != 0) {
                stats.bindsRefused.increment();
                LOG.info("Refused {} from {} (system_id '{}'): status 0x{}", request.getBindType(),
                        session.getInetAddress().getHostAddress(), request.getSystemId(), Integer.toHexString(refusal));
                request.reject(refusal);
                closer.schedule(session::close, REFUSED_CLOSE_DELAY_MS, TimeUnit.MILLISECONDS);
                return;
            }
            sessions.bound(session, request.getSystemId(), request.getBindType());
            request.accept(systemId, request.getInterfaceVersion());
            stats.binds.increment();
            LOG.info("Bound {} session {} for '{}'", request.getBindType(), session.getSessionId(), request.getSystemId());
        } catch (TimeoutException e) {
            LOG.info("No bind within {} ms from {}, closed", BIND_TIMEOUT_MS, session.getInetAddress().getHostAddress());
        } catch (Exception e) {
            LOG.warn("Bind handshake failed: {}", e.toString());
            session.close();
        }
    }

    private int refusalStatus(BindRequest request) {
        if (!systemId.equals(request.getSystemId())) {
            return SMPPConstant.STAT_ESME_RBINDFAIL;
        }
        if (!password.equals(request.getPassword())) {
            return SMPPConstant.STAT_ESME_RINVPASWD;
        }
        return 0;
    }
}
