package org.qingfeng.sms.events;

import com.jsoniter.JsonIterator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The connector's publisher against the real embedded broker. */
@QingfengTest
@Timeout(value = 90)
class KafkaSmsEventPublisherTest {
    private static Vertx vertx;
    private static TestInfra infra;

    @BeforeAll
    static void setUp(TestInfra testInfra) throws Exception {
        infra = testInfra;
        vertx = Vertx.vertx();
        KafkaEventsReader.createTopics(vertx, infra);
    }

    @AfterAll
    static void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void submitResultsAndReceiptsShareAKeyAndPartitionAndMoGoesToInbound() throws Exception {
        KafkaSmsEventPublisher publisher = new KafkaSmsEventPublisher(vertx, infra.kafkaBootstrap(), infra.topicPrefix(), 8);
        List<SmsEvent> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String smscId = "4F" + i;
            sent.add(event(SmsEvent.TYPE_SUBMIT_RESULT, "cmcc", "m-" + i, smscId, "submitted"));
            sent.add(event(SmsEvent.TYPE_RECEIPT, "cmcc", "m-" + i, smscId, "DELIVERED"));
        }
        InboundSms mo = new InboundSms();
        mo.eventId = "cmcc:mo:abc:1";
        mo.channel = "cmcc";
        mo.source = "8613812345678";
        mo.destination = "106900001234";
        mo.text = "退订";
        mo.dataCoding = 8;
        mo.receivedAt = 1_700_000_000_000L;
        List<Future<Void>> published = new ArrayList<>();
        sent.forEach(e -> published.add(publisher.publishEvent(e)));
        published.add(publisher.publishInbound(mo));
        await(Future.all(published));
        assertThat(publisher.eventsTopic()).isEqualTo(infra.topicPrefix() + "sms.events");

        try (KafkaEventsReader events = new KafkaEventsReader(infra, publisher.eventsTopic(), "keys")) {
            List<ConsumerRecord<String, String>> records = events.readUntil(r -> r.size() >= sent.size(), 30_000);
            assertThat(records).hasSize(sent.size());
            for (ConsumerRecord<String, String> record : records) {
                SmsEvent back = JsonIterator.deserialize(record.value(), SmsEvent.class);
                assertThat(record.key()).isEqualTo(back.channel + ":" + back.smscId);
                SmsEvent original = sent.stream().filter(e -> e.eventId.equals(back.eventId)).findFirst().orElseThrow();
                assertSameEvent(back, original);
            }
            // A receipt and its submit result land on one partition: read in order by one consumer.
            Map<String, Set<Integer>> partitionsByKey = records.stream().collect(Collectors.groupingBy(
                    ConsumerRecord::key, Collectors.mapping(ConsumerRecord::partition, Collectors.toSet())));
            assertThat(partitionsByKey).hasSize(30);
            assertThat(partitionsByKey.values()).allSatisfy(p -> assertThat(p).hasSize(1));
            assertThat(records.stream().map(ConsumerRecord::partition).distinct().count()).isGreaterThan(1);
        }
        try (KafkaEventsReader inbound = new KafkaEventsReader(infra, publisher.inboundTopic(), "inbound")) {
            List<ConsumerRecord<String, String>> records = inbound.readUntil(r -> !r.isEmpty(), 30_000);
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.topic()).isEqualTo(infra.topicPrefix() + "sms.inbound");
                InboundSms back = JsonIterator.deserialize(r.value(), InboundSms.class);
                assertThat(back).usingRecursiveComparison().isEqualTo(mo);
            });
        }
        await(publisher.close());
    }

    @Test
    void boundsProducesInFlightUnderABurst() throws Exception {
        int maxInFlight = 16;
        String prefix = infra.topicPrefix() + "burst.";
        KafkaEventsReader.createTopics(vertx, infra, prefix);
        KafkaSmsEventPublisher publisher = new KafkaSmsEventPublisher(vertx, infra.kafkaBootstrap(), prefix, maxInFlight);
        int burst = 5_000;
        List<Future<Void>> published = new ArrayList<>(burst);
        int highest = 0;
        for (int i = 0; i < burst; i++) {
            published.add(publisher.publishEvent(event(SmsEvent.TYPE_RECEIPT, "ct", "b-" + i, "ID" + i, "DELIVERED")));
            highest = Math.max(highest, publisher.inFlight());
        }
        await(Future.all(published));
        System.out.printf("burst of %d: at most %d produces in flight (bound %d)%n", burst, highest, maxInFlight);
        assertThat(highest).isEqualTo(maxInFlight);
        assertThat(publisher.inFlight()).isZero();
        try (KafkaEventsReader events = new KafkaEventsReader(infra, publisher.eventsTopic(), "burst")) {
            assertThat(events.readUntil(r -> r.size() >= burst, 30_000)).hasSize(burst);
        }
        await(publisher.close());
    }

    private static SmsEvent event(String type, String channel, String messageId, String smscId, String status) {
        SmsEvent e = new SmsEvent();
        e.type = type;
        e.channel = channel;
        e.messageId = messageId;
        e.smscId = smscId;
        e.status = status;
        e.partIndex = 1;
        e.partTotal = 2;
        e.eventId = channel + ":" + smscId + ":" + type + ":" + status;
        e.statWord = SmsEvent.TYPE_RECEIPT.equals(type) ? "DELIVRD" : null;
        e.errorCode = SmsEvent.TYPE_RECEIPT.equals(type) ? "000" : null;
        e.submittedAt = 1_700_000_000_000L;
        e.doneAt = SmsEvent.TYPE_RECEIPT.equals(type) ? 1_700_000_060_000L : null;
        e.receivedAt = 1_700_000_061_000L;
        return e;
    }

    private static void assertSameEvent(SmsEvent back, SmsEvent original) {
        assertThat(back).usingRecursiveComparison().isEqualTo(original);
    }
}
