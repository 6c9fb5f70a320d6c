package org.qingfeng.sms.events;

import io.vertx.core.Future;

/**
 * Where the SMPP connector hands its facts. A returned future succeeds only once the
 * event is durable (for Kafka: acknowledged by all in-sync replicas), which is what lets
 * the connector answer a deliver_sm only after its receipt is safe.
 *
 * <p>Called from any thread (jSMPP's receiving threads, which finish accepted parts and receipts), so
 * implementations are thread-safe.
 */
public interface SmsEventPublisher {
    Future<Void> publishEvent(SmsEvent event);

    Future<Void> publishInbound(InboundSms message);
}
