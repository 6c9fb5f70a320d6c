package org.qingfeng.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jsmpp.bean.BindType;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.Session;
import org.jsmpp.session.SessionStateListener;

/**
 * The simulator's SMPP sessions: every accepted connection, and for bound ones who bound and
 * how. jSMPP does not remember the bind's system_id on a server session, so we do.
 */
final class BoundSessions implements SessionStateListener {

    /** A bound session with the system_id and bind type it bound with. */
    record Bound(SMPPServerSession session, String systemId, BindType bindType) {

        boolean canReceive() {
            return bindType.isReceivable() && session.getSessionState().isBound();
        }
    }

    private final Set<SMPPServerSession> connected = ConcurrentHashMap.newKeySet();
    private final Map<SMPPServerSession, Bound> bound = new ConcurrentHashMap<>();

    void connected(SMPPServerSession session) {
        connected.add(session);
    }

    void bound(SMPPServerSession session, String systemId, BindType bindType) {
        bound.put(session, new Bound(session, systemId, bindType));
    }

    Bound get(SMPPServerSession session) {
        return bound.get(session);
    }

    /** Sessions that can take a deliver_sm, optionally only those of one system_id. */
    List<Bound> receivers(String systemIdOrNull) {
        List<Bound> receivers = new ArrayList<>();
        for (Bound candidate : bound.values()) {
            if (candidate.canReceive() && (systemIdOrNull == null || candidate.systemId().equals(systemIdOrNull))) {
                receivers.add(candidate);
            }
        }
        return receivers;
    }

    /** Every open connection, bound or not. */
    List<SMPPServerSession> all() {
        return new ArrayList<>(connected);
    }

    @Override
    public void onStateChange(SessionState newState, SessionState oldState, Session source) {
        if (newState == SessionState.CLOSED && source instanceof SMPPServerSession session) {
            connected.remove(session);
            bound.remove(session);
        }
    }
}
