package org.qingfeng.sim;

import org.qingfeng.sms.PhoneMask;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.EnquireLink;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.Session;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.ServerResponseDeliveryAdapter;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the fate of each submit_sm: injected faults, throttling, then acceptance into the
 * ledger with a message id and a planned receipt. Runs on the session's PDU processor threads.
 */
final class SubmitHandler extends ServerResponseDeliveryAdapter implements ServerMessageReceiverListener {

    private static final Logger LOG = LoggerFactory.getLogger(SubmitHandler.class);

    private final Supplier<FaultOptions> faults;
    private final SubmitRateLimiter rateLimiter;
    private final MessageIds messageIds;
    private final Ledger ledger;
    private final BoundSessions sessions;
    private final ReceiptSender receipts;
    private final SimulatorStats stats;
    private final Random random;
    private final AtomicLong received = new AtomicLong();

    SubmitHandler(Supplier<FaultOptions> faults, SubmitRateLimiter rateLimiter, MessageIds messageIds,
            Ledger ledger, BoundSessions sessions, ReceiptSender receipts, SimulatorStats stats, Random random) {
        this.faults = faults;
        this.rateLimiter = rateLimiter;
        this.messageIds = messageIds;
        this.ledger = ledger;
        this.sessions = sessions;
        this.receipts = receipts;
        this.stats = stats;
        this.random = random;
    }

    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm submit, SMPPServerSession session) throws ProcessRequestException {
        long n = received.incrementAndGet();
        FaultOptions fault = faults.get();
        if (everyNth(n, fault.dropLinkEverySubmits())) {
            // No response: the client is left with a submit whose outcome it cannot know.
            stats.droppedLinks.increment();
            LOG.info("Fault: dropping link of session {} on submit #{} to {}", session.getSessionId(), n,
                    PhoneMask.mask(submit.getDestAddress()));
            session.close();
            throw new ProcessRequestException("link dropped by fault injection", SMPPConstant.STAT_ESME_RSYSERR);
        }
        if (rateLimiter != null && !rateLimiter.tryAcquire()) {
            stats.throttled.increment();
            throw new ProcessRequestException("throttled", SMPPConstant.STAT_ESME_RTHROTTLED);
        }
        if (everyNth(n, fault.queueFullEvery())) {
            stats.rejected.increment();
            throw new ProcessRequestException("message queue full (fault)", SMPPConstant.STAT_ESME_RMSGQFUL);
        }
        if (fault.errorRate() > 0 && random.nextDouble() < fault.errorRate()) {
            stats.rejected.increment();
            throw new ProcessRequestException("error by fault injection", fault.errorStatus());
        }
        pause(fault.responseDelayMs());

        BoundSessions.Bound bound = sessions.get(session);
        String systemId = bound != null ? bound.systemId() : "";
        LedgerEntry entry = LedgerEntry.of(messageIds.next(), systemId, submit, System.currentTimeMillis());
        ledger.record(entry);
        ReceiptSender.PlannedReceipt receipt = receipts.plan(entry);
        if (receipt != null && fault.receiptBeforeResponse()) {
            receipts.sendNow(receipt, session);
            receipt = null;
        }
        return AcceptedSubmit.of(entry.messageId, receipt);
    }

    @Override
    public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession session) {
        if (result instanceof AcceptedSubmit accepted && accepted.pendingReceipt() != null) {
            receipts.schedule(accepted.pendingReceipt(), session);
        }
    }

    @Override
    public void onAcceptEnquireLink(EnquireLink enquireLink, Session source) {
        stats.enquireLinks.increment();
    }

    private static boolean everyNth(long n, int every) {
        return every > 0 && n % every == 0;
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // The simulator speaks submit_sm only; everything else is refused as an invalid command.

    @Override
    public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
            throws ProcessRequestException {
        throw unsupported("submit_multi");
    }

    @Override
    public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source) throws ProcessRequestException {
        throw unsupported("query_sm");
    }

    @Override
    public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
        throw unsupported("replace_sm");
    }

    @Override
    public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
        throw unsupported("cancel_sm");
    }

    @Override
    public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
            throws ProcessRequestException {
        throw unsupported("broadcast_sm");
    }

    @Override
    public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
            throws ProcessRequestException {
        throw unsupported("cancel_broadcast_sm");
    }

    @Override
    public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm, SMPPServerSession source)
            throws ProcessRequestException {
        throw unsupported("query_broadcast_sm");
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        throw unsupported("data_sm");
    }

    private static ProcessRequestException unsupported(String command) {
        return new ProcessRequestException(command + " is not supported by the simulator", SMPPConstant.STAT_ESME_RINVCMDID);
    }
}
