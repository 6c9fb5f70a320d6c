package org.qingfeng.sim;

import org.qingfeng.sms.PhoneMask;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.qingfeng.sms.encoding.EncodedSms;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.encoding.SmsPart;
import org.qingfeng.sms.encoding.SmsTextException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends mobile-originated messages (a handset replying, e.g. "TD" to opt out) as deliver_sm to
 * every bound receiver, GSM-7 (data_coding 0) when the text allows it, else UCS-2 (8); long
 * texts are split with a UDH like a handset would.
 */
final class MoSender {

    private static final Logger LOG = LoggerFactory.getLogger(MoSender.class);

    private final ExecutorService executor;
    private final BoundSessions sessions;
    private final SimulatorStats stats;
    private final SmsEncoder encoder = new SmsEncoder();
    private final AtomicInteger references = new AtomicInteger();

    MoSender(ExecutorService executor, BoundSessions sessions, SimulatorStats stats) {
        this.executor = executor;
        this.sessions = sessions;
        this.stats = stats;
    }

    /**
     * Queues the MO for every bound receiver/transceiver session and returns how many sessions
     * it is queued for; the deliver_sm PDUs go out on the delivery executor.
     */
    int send(String from, String to, String text) {
        EncodedSms encoded;
        try {
            encoded = encoder.encode(text, references.incrementAndGet());
        } catch (SmsTextException e) {
            throw new IllegalArgumentException("MO text cannot be sent: " + e.getMessage(), e);
        }
        List<BoundSessions.Bound> receivers = sessions.receivers(null);
        for (BoundSessions.Bound receiver : receivers) {
            executor.execute(() -> deliver(receiver, from, to, encoded));
        }
        LOG.info("MO from {} to {} queued for {} session(s)", PhoneMask.mask(from), PhoneMask.mask(to), receivers.size());
        return receivers.size();
    }

    private void deliver(BoundSessions.Bound receiver, String from, String to, EncodedSms encoded) {
        byte dataCoding = (byte) encoded.encoding().dataCoding();
        for (SmsPart part : encoded.partList()) {
            byte esmClass = part.udh() != null ? SMPPConstant.ESMCLS_UDHI_INDICATOR_SET : 0;
            try {
                receiver.session().deliverShortMessage("", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, from,
                        TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, to, new ESMClass(esmClass),
                        (byte) 0, (byte) 0, new RegisteredDelivery(0), DataCodings.newInstance(dataCoding),
                        part.shortMessage());
                stats.moSent.increment();
            } catch (Exception e) {
                LOG.warn("MO from {} to session {} failed: {}", PhoneMask.mask(from),
                        receiver.session().getSessionId(), e.toString());
                return;
            }
        }
    }
}
