package org.qingfeng.sim;

import org.qingfeng.sms.PhoneMask;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.MessageState;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.util.DeliveryReceiptState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends SMPP delivery receipts (deliver_sm, esm_class 0x04) with both the appendix-B text and
 * the receipted_message_id / message_state TLVs. Runs on the simulator's scheduled executor,
 * never on a session's PDU reader thread, because deliver_sm blocks until its response. The
 * executor starts receipts in due order (ties in scheduling order); with its default single
 * thread that is also the order on the wire.
 */
final class ReceiptSender {

    /** A receipt decided when the submit was accepted: which entry, which final state. */
    record PlannedReceipt(LedgerEntry entry, DeliveryReceiptState state) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReceiptSender.class);
    private static final int SMSC_RECEIPT_BITS = 0x03;
    private static final int RECEIPT_TEXT_CHARS = 20;
    private static final long SEND_NOW_TIMEOUT_MS = 5_000;
    /** A receipt no receiver took is retried every 200 ms for 30 s (a rebind), then counted as failed. */
    private static final int REDELIVERY_ATTEMPTS = 150;
    private static final long REDELIVERY_INTERVAL_MS = 200;

    private final ScheduledExecutorService executor;
    private final ExecutorService early;
    private final BoundSessions sessions;
    private final SimulatorStats stats;
    private final Ledger ledger;
    private final ReceiptMix mix;
    private final long delayMs;
    private final Random random;

    /**
     * @param early runs receipts sent before their response, one thread each while they wait for
     *              the client's acknowledgement; it must hand work to a thread at once or reject it
     */
    ReceiptSender(ScheduledExecutorService executor, ExecutorService early, BoundSessions sessions,
            SimulatorStats stats, Ledger ledger, ReceiptMix mix, long delayMs, Random random) {
        this.executor = executor;
        this.early = early;
        this.sessions = sessions;
        this.stats = stats;
        this.ledger = ledger;
        this.mix = mix;
        this.delayMs = delayMs;
        this.random = random;
    }

    /** Decides the receipt for an accepted submit; null when registered_delivery asks for none. */
    PlannedReceipt plan(LedgerEntry entry) {
        // Bits 0-1 of registered_delivery: 0 none, 1 success and failure, 2 failure only.
        int smscReceipt = entry.registeredDelivery & SMSC_RECEIPT_BITS;
        if (smscReceipt == 0) {
            return null;
        }
        DeliveryReceiptState state = mix.pick(random);
        boolean failureOnly = smscReceipt == SMPPConstant.REGDEL_SMSC_FAILURE_REQUESTED;
        return failureOnly && state == DeliveryReceiptState.DELIVRD ? null : new PlannedReceipt(entry, state);
    }

    /** Sends the receipt after the configured delay; receipts go out in the order they fall due. */
    void schedule(PlannedReceipt receipt, SMPPServerSession origin) {
        executor.schedule(() -> deliver(receipt, origin, 0), delayMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends the receipt ahead of the submit_sm_resp (receipt-before-response): returns once the
     * deliver_sm is written to the socket, so the caller's response follows it on the wire.
     *
     * <p>The deliver_sm goes out on its own thread, which then waits for the client's
     * deliver_sm_resp. The caller, a session PDU thread, waits only for the write: waiting for
     * the acknowledgement would need another PDU thread to read it, and with a client window
     * at least as large as the session's PDU threads every one of them would be waiting.
     */
    void sendNow(PlannedReceipt receipt, SMPPServerSession origin) {
        CountDownLatch written = new CountDownLatch(1);
        try {
            early.execute(() -> {
                WriteSignal.arm(written::countDown);
                try {
                    deliver(receipt, origin, 0);
                } finally {
                    WriteSignal.disarm();
                    written.countDown();
                }
            });
        } catch (RejectedExecutionException e) {
            // More early receipts outstanding than the pool allows: send this one the usual way.
            LOG.debug("Early receipt pool full; receipt {} follows its response", receipt.entry().messageId);
            schedule(receipt, origin);
            return;
        }
        try {
            if (!written.await(SEND_NOW_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("Receipt for {} sent before its response was not written within {} ms",
                        receipt.entry().messageId, SEND_NOW_TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(PlannedReceipt receipt, SMPPServerSession origin, int attempt) {
        LedgerEntry entry = receipt.entry();
        byte[] body = receiptText(receipt).getBytes(StandardCharsets.US_ASCII);
        OptionalParameter[] tlvs = {
            new OptionalParameter.Receipted_message_id(entry.messageId),
            new OptionalParameter.Message_state(messageState(receipt.state()).value())
        };
        for (SMPPServerSession session : candidates(origin, entry.systemId)) {
            try {
                session.deliverShortMessage("", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, entry.destination,
                        TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, entry.source,
                        new ESMClass(SMPPConstant.ESMCLS_SMSC_DELIV_RECEIPT), (byte) 0, (byte) 0,
                        new RegisteredDelivery(0), DataCodings.ZERO, body, tlvs);
                stats.receiptsSent.increment();
                ledger.recordReceipt(entry, receipt.state().name());
                return;
            } catch (Exception e) {
                // Try the next receiver of the same account, as an SMSC with several binds would.
                LOG.debug("Receipt {} to {} failed on session {}: {}", entry.messageId,
                        PhoneMask.mask(entry.source), session.getSessionId(), e.toString());
            }
        }
        if (attempt < REDELIVERY_ATTEMPTS && !executor.isShutdown()) {
            // Like an SMSC, keep the receipt and try again: the client is likely rebinding.
            try {
                executor.schedule(() -> deliver(receipt, origin, attempt + 1), REDELIVERY_INTERVAL_MS,
                        TimeUnit.MILLISECONDS);
                return;
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        }
        stats.receiptsFailed.increment();
        LOG.debug("Receipt {} dropped: no receiver took it for {}", entry.messageId, entry.systemId);
    }

    /** The submitting session first when it can receive, then every other receiver of the account. */
    private List<SMPPServerSession> candidates(SMPPServerSession origin, String systemId) {
        List<SMPPServerSession> candidates = new ArrayList<>();
        BoundSessions.Bound originBound = sessions.get(origin);
        if (originBound != null && originBound.canReceive()) {
            candidates.add(origin);
        }
        for (BoundSessions.Bound receiver : sessions.receivers(systemId)) {
            if (receiver.session() != origin) {
                candidates.add(receiver.session());
            }
        }
        return candidates;
    }

    private static String receiptText(PlannedReceipt receipt) {
        LedgerEntry entry = receipt.entry();
        boolean delivered = receipt.state() == DeliveryReceiptState.DELIVRD;
        String text = entry.text.length() > RECEIPT_TEXT_CHARS ? entry.text.substring(0, RECEIPT_TEXT_CHARS) : entry.text;
        return ReceiptText.of(entry.messageId, delivered, entry.receivedAt, System.currentTimeMillis(),
                receipt.state(), errorCode(receipt.state()), text);
    }

    /** Fixed err values per state, so client tests can assert on them. */
    private static String errorCode(DeliveryReceiptState state) {
        switch (state) {
            case DELIVRD:
                return "000";
            case UNDELIV:
                return "001";
            case EXPIRED:
                return "002";
            default:
                return "003";
        }
    }

    static MessageState messageState(DeliveryReceiptState state) {
        switch (state) {
            case DELIVRD:
                return MessageState.DELIVERED;
            case UNDELIV:
                return MessageState.UNDELIVERABLE;
            case EXPIRED:
                return MessageState.EXPIRED;
            case REJECTD:
                return MessageState.REJECTED;
            default:
                return MessageState.UNKNOWN;
        }
    }
}
