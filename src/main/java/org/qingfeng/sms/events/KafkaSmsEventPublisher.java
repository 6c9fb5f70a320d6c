package org.qingfeng.sms.events;

import com.jsoniter.output.JsonStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes connector events to Kafka: {@code <prefix>sms.events} keyed by channel + SMSC id
 * (a receipt and its submit result land on the same partition, so they are read in order)
 * and {@code <prefix>sms.inbound} keyed by the sender's number.
 *
 * <p>Produces in flight are bounded: above {@code maxInFlight} a publish waits in a FIFO
 * until an earlier one is acknowledged. The waiting queue is itself bounded by the callers
 * (the SMPP window for submit results, the jSMPP PDU threads for receipts).
 */
public final class KafkaSmsEventPublisher implements SmsEventPublisher {
    private final KafkaProducer<String, String> producer;
    private final String eventsTopic;
    private final String inboundTopic;
    private final int maxInFlight;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    public KafkaSmsEventPublisher(Vertx vertx, String bootstrapServers, String topicPrefix, int maxInFlight) {
        this(KafkaProducer.create(vertx, producerConfig(bootstrapServers)), topicPrefix, maxInFlight);
    }

    public KafkaSmsEventPublisher(KafkaProducer<String, String> producer, String topicPrefix, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        this.producer = Objects.requireNonNull(producer);
        String prefix = topicPrefix == null ? "" : topicPrefix;
        this.eventsTopic = prefix + "sms.events";
        this.inboundTopic = prefix + "sms.inbound";
        this.maxInFlight = maxInFlight;
    }

    /** acks=all + idempotence: a retried produce never duplicates and an acked one survives a broker loss. */
    public static Map<String, String> producerConfig(String bootstrapServers) {
        Map<String, String> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        config.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        config.put("acks", "all");
        config.put("enable.idempotence", "true");
        config.put("linger.ms", "5");
        return config;
    }

    public String eventsTopic() {
        return eventsTopic;
    }

    public String inboundTopic() {
        return inboundTopic;
    }

    @Override
    public Future<Void> publishEvent(SmsEvent event) {
        return send(eventsTopic, event.partitionKey(), SmsEventJson.write(event));
    }

    @Override
    public Future<Void> publishInbound(InboundSms message) {
        return send(inboundTopic, message.source, JsonStream.serialize(message));
    }

    public Future<Void> close() {
        return producer.close();
    }

    private Future<Void> send(String topic, String key, String json) {
        Promise<Void> done = Promise.promise();
        Runnable produce = () -> producer.send(KafkaProducerRecord.create(topic, key, json))
                .<Void>mapEmpty()
                .onComplete(result -> {
                    release();
                    done.handle(result);
                });
        boolean startNow;
        synchronized (waiting) {
            startNow = inFlight < maxInFlight;
            if (startNow) {
                inFlight++;
            } else {
                waiting.addLast(produce);
            }
        }
        if (startNow) {
            produce.run();
        }
        return done.future();
    }

    private void release() {
        Runnable next;
        synchronized (waiting) {
            next = waiting.pollFirst();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.run(); // hands the freed slot straight to the oldest waiter
        }
    }

    /** Produces currently awaiting acknowledgement, for tests and metrics. */
    public int inFlight() {
        synchronized (waiting) {
            return inFlight;
        }
    }
}
