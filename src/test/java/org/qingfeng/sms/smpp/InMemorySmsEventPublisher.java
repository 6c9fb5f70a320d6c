package org.qingfeng.sms.smpp;

import io.vertx.core.Future;
import org.qingfeng.sms.events.InboundSms;
import org.qingfeng.sms.events.SmsEvent;
import org.qingfeng.sms.events.SmsEventPublisher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every published event, in order, for assertions. */
final class InMemorySmsEventPublisher implements SmsEventPublisher {
    final List<SmsEvent> events = new CopyOnWriteArrayList<>();
    final List<InboundSms> inbound = new CopyOnWriteArrayList<>();

    @Override
    public Future<Void> publishEvent(SmsEvent event) {
        events.add(event);
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> publishInbound(InboundSms message) {
        inbound.add(message);
        return Future.succeededFuture();
    }

    List<SmsEvent> ofType(String type) {
        return events.stream().filter(e -> type.equals(e.type)).toList();
    }
}
