package org.qingfeng.sms.smpp;

import io.vertx.core.Future;
import org.qingfeng.sms.events.InboundSms;
import org.qingfeng.sms.events.SmsEvent;
import org.qingfeng.sms.events.SmsEventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns connector facts into published events: a submit_result per part, a receipt per
 * delivery receipt (matched to our message id when known), an InboundSms per MO.
 * Event ids are deterministic so that a replay, or the re-publication of an early receipt
 * once its submit response arrived, is the same event downstream. Any thread: jSMPP's threads
 * call it for accepted parts (on the submit response), jSMPP's threads for deliver_sm, the channel context for failures.
 */
final class ReceiptEvents {
    private static final Logger log = LoggerFactory.getLogger(ReceiptEvents.class);
    /** At most this many correlation entries, at least the latest half (see GenerationalMap). */
    private static final int CORRELATION_ENTRIES = 200_000;
    /** Early receipts wait for a submit that is outstanding, at most the window's worth (see ReceiptCorrelator). */
    private static final int PARKED_ENTRIES = 16_384;
    private static final long CORRELATION_TTL_MS = 60 * 60_000L;
    private static final long PARKED_TTL_MS = 10 * 60_000L;
    private static final int STRIPE_BITS = 4;
    private static final int CORRELATOR_STRIPES = 1 << STRIPE_BITS;

    private final String channel;
    private final SmsEventPublisher publisher;
    private final SmppMetrics metrics;
    /**
     * Striped by SMSC id: every accepted part and every receipt takes a correlator's lock, and
     * with one lock the threads finishing accepted parts and the receipt threads queued on it (JFR: ~770 waits of
     * over 1 ms in a 14 s phase). An id always lands on the same stripe, so "known or parked"
     * stays exclusive per id; each stripe holds its share of the bound.
     */
    private final ReceiptCorrelator[] correlators = new ReceiptCorrelator[CORRELATOR_STRIPES];

    ReceiptEvents(String channel, SmsEventPublisher publisher, SmppMetrics metrics) {
        this.channel = channel;
        this.publisher = publisher;
        this.metrics = metrics;
        for (int i = 0; i < CORRELATOR_STRIPES; i++) {
            correlators[i] = new ReceiptCorrelator(System::currentTimeMillis, CORRELATION_ENTRIES / CORRELATOR_STRIPES,
                    PARKED_ENTRIES / CORRELATOR_STRIPES, CORRELATION_TTL_MS, PARKED_TTL_MS);
        }
    }

    /**
     * The stripe comes from the hash's top bits: each stripe's HashMap indexes its table with the
     * low bits, and a stripe chosen by those left all its ids in 1/16 of the table's buckets
     * (sequential SMSC ids piled into treeified bins: 7 % of the connector's samples).
     */
    private ReceiptCorrelator correlator(String smscId) {
        return correlators[(smscId.hashCode() * 0x9E3779B9) >>> (32 - STRIPE_BITS)];
    }

    /**
     * Publishes a part's result. A publish failure is counted and logged but does not fail the
     * submit: the SMSC has the message, and failing here would invite a duplicate send.
     */
    Future<Void> onSubmitResult(String messageId, PartOutcome part) {
        return onSubmitResult(messageId, null, part);
    }

    /** As above, for a campaign message: the event carries its campaign id to the receipt sink. */
    Future<Void> onSubmitResult(String messageId, Long campaignId, PartOutcome part) {
        SmsEvent event = new SmsEvent();
        event.campaignId = campaignId;
        event.type = SmsEvent.TYPE_SUBMIT_RESULT;
        event.channel = channel;
        event.messageId = messageId;
        event.partIndex = part.index();
        event.partTotal = part.total();
        event.smscId = part.smscId();
        event.commandStatus = part.commandStatus();
        event.status = part.status();
        event.submittedAt = part.submittedAt() == 0 ? null : part.submittedAt();
        event.receivedAt = part.answeredAt();
        String subject = part.smscId() != null ? part.smscId() : messageId + "#" + part.index();
        event.eventId = channel + ":" + subject + ":" + event.type + ":" + event.status;
        List<SmsEvent> early = part.smscId() == null ? List.of()
                : correlator(part.smscId()).submitted(part.smscId(), messageId, part.index(), part.total(), event.receivedAt);
        Future<Void> published = publishQuietly(event);
        if (early.isEmpty()) {
            return published;
        }
        for (SmsEvent receipt : early) {
            published = published.compose(v -> publishQuietly(receipt));
        }
        return published;
    }

    /** Publishes a receipt or MO; the returned future decides the deliver_sm_resp. */
    Future<Void> onDeliverSm(ClassifiedDeliverSm pdu) {
        long now = System.currentTimeMillis();
        if (pdu.kind == ClassifiedDeliverSm.Kind.MO) {
            metrics.inbound();
            InboundSms mo = new InboundSms();
            mo.channel = channel;
            mo.source = pdu.source;
            mo.destination = pdu.destination;
            mo.text = pdu.text;
            mo.dataCoding = pdu.dataCoding;
            mo.receivedAt = now;
            // Content plus the minute: an SMSC redelivery after our 0x64 answer is recognised as the same.
            mo.eventId = channel + ":mo:" + sha256(pdu.source + "|" + pdu.destination + "|" + pdu.text) + ":" + now / 60_000;
            return publisher.publishInbound(mo);
        }
        metrics.receipt(pdu.state.name());
        SmsEvent receipt = new SmsEvent();
        receipt.type = SmsEvent.TYPE_RECEIPT;
        receipt.eventId = channel + ":" + pdu.smscId + ":" + SmsEvent.TYPE_RECEIPT + ":" + pdu.state.name();
        receipt.channel = channel;
        receipt.smscId = pdu.smscId;
        receipt.status = pdu.state.name();
        receipt.statWord = pdu.statWord;
        receipt.errorCode = pdu.errorCode;
        receipt.submittedAt = pdu.submittedAt;
        receipt.doneAt = pdu.doneAt;
        receipt.receivedAt = now;
        return publisher.publishEvent(correlator(receipt.smscId).match(receipt, pdu.state.isFinal()));
    }

    private Future<Void> publishQuietly(SmsEvent event) {
        Future<Void> published = publisher.publishEvent(event);
        if (published.succeeded()) {
            return published;
        }
        return published.recover(e -> {
            metrics.publishFailed();
            log.error("channel {}: could not publish {}: {}", channel, event.eventId, e.toString());
            return Future.succeededFuture();
        });
    }

    private static String sha256(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
