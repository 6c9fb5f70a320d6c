package org.qingfeng.sms.smpp;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.qingfeng.sms.encoding.EncodedSms;
import org.qingfeng.sms.encoding.RecentTextsEncoder;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.encoding.SmsTextException;
import org.qingfeng.sms.events.SmsEventPublisher;
import org.qingfeng.sms.receipt.SmscIdNormalizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One configured SMPP channel: keeps it bound, sends messages part by part under the channel's
 * rate and window, and publishes a submit_result event per part and a receipt event per
 * delivery receipt. Submits are pipelined, up to {@code window} outstanding: a dedicated sender
 * thread writes them in batches (the socket writes block, so never on an event loop) and no
 * thread waits for a particular response.
 *
 * <p>The per-part work runs where the part already is: a message is encoded on the caller's
 * thread, an accepted part is finished and its event published on the jSMPP thread that read
 * its submit_sm_resp, a receipt is read, matched and published on the jSMPP thread that
 * received it. The channel's Vert.x context keeps only what must be decided
 * in one place: the link (bind, rebind), and the parts the SMSC did not accept (slow-down,
 * retries, resubmits), which reach it through one batching inbox.
 */
public final class SmppChannel {
    private static final Logger log = LoggerFactory.getLogger(SmppChannel.class);
    private static final long RECEIPT_ACK_TIMEOUT_MS = 5_000;

    private final Vertx vertx;
    private final Context context;
    private final ChannelConfig config;
    /** A campaign's messages share one text: it is encoded once, not once per number. */
    private final RecentTextsEncoder encoder;
    private final PartsTokenBucket bucket;
    private final SmppMetrics metrics;
    private final SmppLink link;
    private final PartSubmitter partSubmitter;
    private final ReceiptEvents receiptEvents;
    private final List<Consumer<ChannelState>> stateListeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextReference;

    public SmppChannel(Vertx vertx, ChannelConfig config, SmsEventPublisher publisher, MeterRegistry registry) {
        this(vertx, config, publisher, registry, ZoneId.of("Asia/Shanghai"));
    }

    /** @param smscZone the time zone of the SMSC's receipt dates */
    public SmppChannel(Vertx vertx, ChannelConfig config, SmsEventPublisher publisher, MeterRegistry registry,
                       ZoneId smscZone) {
        this(vertx, config, publisher, registry, smscZone, new SmsEncoder(SmsEncoder.DEFAULT_MAX_PARTS, false));
    }

    /**
     * @param smscZone the time zone of the SMSC's receipt dates
     * @param encoder  the server's encoding settings (sms.max-parts, sms.concat-reference-bits):
     *                 a text over its part limit is refused, concatenated parts carry its reference size
     */
    public SmppChannel(Vertx vertx, ChannelConfig config, SmsEventPublisher publisher, MeterRegistry registry,
                       ZoneId smscZone, SmsEncoder encoder) {
        this.encoder = new RecentTextsEncoder(encoder);
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.config = config;
        this.bucket = new PartsTokenBucket(config.partsPerSecond);
        this.metrics = new SmppMetrics(registry, config.name, this::windowInUse);
        ContextInbox inbox = new ContextInbox(context);
        SmscIdNormalizer normalizer = SmscIdNormalizer.parse(config.receiptIdNormalization);
        this.receiptEvents = new ReceiptEvents(config.name, publisher, metrics);
        InboundHandler inbound = new InboundHandler(config.name, new DeliverSmClassifier(normalizer, smscZone),
                receiptEvents::onDeliverSm, RECEIPT_ACK_TIMEOUT_MS);
        this.link = new SmppLink(vertx, context, config, inbound, this::stateChanged, metrics::inFlightAtLinkLoss);
        this.partSubmitter = new PartSubmitter(vertx, context, config, link, bucket, inbox, metrics, normalizer);
        this.nextReference = new AtomicInteger((int) (System.nanoTime() & 0xFF));
    }

    public String name() {
        return config.name;
    }

    public ChannelConfig config() {
        return config;
    }

    /** Starts binding; failures to bind are retried with backoff, so this completes at once. */
    public Future<Void> start() {
        return onContext(() -> {
            link.start();
            return Future.succeededFuture();
        });
    }

    /** Completes once the channel is bound (immediately if it is). */
    public Future<Void> awaitBound() {
        return onContext(() -> link.awaitBound().mapEmpty());
    }

    public ChannelState state() {
        return link.state();
    }

    /** The link itself: tests reach its session to lose it without notice. */
    SmppLink link() {
        return link;
    }

    /** Called on the channel's context at every state change. */
    public void onStateChange(Consumer<ChannelState> listener) {
        stateListeners.add(listener);
    }

    /** Parts per second currently allowed (0 = unlimited); lower than configured after throttling. */
    public double currentRate() {
        return bucket.currentRate();
    }

    public int windowInUse() {
        return partSubmitter == null ? 0 : partSubmitter.inUse(); // null while constructing
    }

    /** Submits whose response never came (link lost or response timeout), resubmitted or not. */
    public long outcomeUnknownCount() {
        return (long) metrics.outcomeUnknownCount();
    }

    /** Submits that were written and unanswered at the moments links were lost, summed over the losses. */
    public long inFlightAtLinkLoss() {
        return (long) metrics.inFlightAtLinkLossCount();
    }

    /**
     * Sends one message. The future succeeds with each part's outcome (a rejected message is a
     * successful future whose outcome says rejected) once the submit_result events are published;
     * it fails only for text that cannot be encoded or a closed channel. Any thread; the future
     * completes on the caller's context (the channel's when called from outside Vert.x).
     */
    public Future<SubmitOutcome> submit(OutboundSms sms) {
        EncodedSms encoded;
        try {
            encoded = encoder.encode(sms.text(), nextReference.getAndIncrement());
        } catch (SmsTextException e) {
            return Future.failedFuture(new IllegalArgumentException(sms.messageId() + ": " + e.getMessage(), e));
        }
        Context caller = Vertx.currentContext();
        MessageJob job = new MessageJob(sms, encoded, config.name, receiptEvents, caller != null ? caller : context);
        partSubmitter.submit(job);
        return job.future();
    }

    public Future<Void> close() {
        return onContext(() -> link.close().eventually(() -> {
            partSubmitter.close();
            return Future.succeededFuture();
        }));
    }

    private void stateChanged(ChannelState state) {
        metrics.bound(state == ChannelState.BOUND);
        for (Consumer<ChannelState> listener : stateListeners) {
            try {
                listener.accept(state);
            } catch (RuntimeException e) {
                log.warn("channel {}: state listener failed", config.name, e);
            }
        }
    }

    private <T> Future<T> onContext(Supplier<Future<T>> action) {
        if (Vertx.currentContext() == context) {
            return action.get();
        }
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> {
            try {
                action.get().onComplete(result);
            } catch (RuntimeException e) {
                result.fail(e);
            }
        });
        return result.future();
    }
}
