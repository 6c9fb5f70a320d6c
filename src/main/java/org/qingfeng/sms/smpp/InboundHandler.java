package org.qingfeng.sms.smpp;

import org.qingfeng.sms.PhoneMask;
import io.vertx.core.Future;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Receives deliver_sm on jSMPP's PDU threads and handles it there: classifies it, matches a
 * receipt to our message and publishes the event (the sink is thread-safe), with no trip
 * through an event loop. The deliver_sm_resp goes back only once the event is published: if
 * that does not happen within {@code ackTimeoutMs}, the SMSC gets ESME_RX_T_APPN and delivers
 * again later, so an accepted receipt is never lost in our memory. The wait occupies one of
 * jSMPP's PDU processor threads (not its socket reader), which also bounds how much can pile up.
 */
final class InboundHandler implements MessageReceiverListener {
    private static final Logger log = LoggerFactory.getLogger(InboundHandler.class);

    private final String channel;
    private final DeliverSmClassifier classifier;
    private final Function<ClassifiedDeliverSm, Future<Void>> sink;
    private final long ackTimeoutMs;

    InboundHandler(String channel, DeliverSmClassifier classifier,
                   Function<ClassifiedDeliverSm, Future<Void>> sink, long ackTimeoutMs) {
        this.channel = channel;
        this.classifier = classifier;
        this.sink = sink;
        this.ackTimeoutMs = ackTimeoutMs;
    }

    @Override
    public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
        ClassifiedDeliverSm classified;
        try {
            classified = classifier.classify(deliverSm);
        } catch (RuntimeException e) {
            classified = ClassifiedDeliverSm.unreadable(e.toString());
        }
        if (classified.kind == ClassifiedDeliverSm.Kind.UNREADABLE) {
            // Acknowledge: asking the SMSC to resend something we cannot read would loop forever.
            log.warn("channel {}: ignoring unreadable deliver_sm from {}: {}", channel,
                    PhoneMask.mask(deliverSm.getSourceAddr()), classified.reason);
            return;
        }
        Future<Void> published;
        try {
            published = sink.apply(classified);
        } catch (RuntimeException e) {
            log.warn("channel {}: deliver_sm not handled ({}); asking the SMSC to retry", channel, e.toString());
            throw new ProcessRequestException("not handled", SMPPConstant.STAT_ESME_RX_T_APPN);
        }
        if (published.succeeded()) {
            return; // the usual case with a publisher that answers at once: no wait, no allocation
        }
        try {
            published.toCompletionStage().toCompletableFuture().get(ackTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessRequestException("interrupted", SMPPConstant.STAT_ESME_RX_T_APPN);
        } catch (Exception e) {
            log.warn("channel {}: deliver_sm not stored ({}); asking the SMSC to retry", channel, e.toString());
            throw new ProcessRequestException("not stored yet", SMPPConstant.STAT_ESME_RX_T_APPN);
        }
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {
        // Not used: Qingfeng does not ask for alert notifications.
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        throw new ProcessRequestException("data_sm is not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }
}
