package org.qingfeng.sms.smpp;

import com.jsoniter.JsonIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.sim.LedgerEntry;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.events.KafkaEventsReader;
import org.qingfeng.sms.events.KafkaSmsEventPublisher;
import org.qingfeng.sms.events.SmsEvent;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.sms.smpp.SimChannelFixture.destination;
import static org.qingfeng.sms.smpp.SimChannelFixture.parts;
import static org.qingfeng.sms.smpp.SimChannelFixture.text;

/**
 * Must hold: 10,000 messages mixing GSM-7, Chinese and multipart text are each submitted once
 * (the simulator's ledger, per destination and per concatenation part) and every receipt is
 * parsed and published (read back from Kafka {@code <prefix>sms.events}).
 */
@QingfengTest
@Timeout(value = 120)
class SmppTenThousandKafkaTest {
    private static final int MESSAGES = 10_000;
    private SimChannelFixture f;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void tenThousandMixedMessagesAreSubmittedOnceAndEveryReceiptIsPublished(TestInfra infra) throws Exception {
        // An SMSC that keeps up to 50 receipts outstanding (its deliver_sm window).
        f = new SimChannelFixture(SimChannelFixture.defaults().receiptThreads(50));
        KafkaEventsReader.createTopics(f.vertx, infra);
        KafkaSmsEventPublisher kafka = new KafkaSmsEventPublisher(f.vertx, infra.kafkaBootstrap(), infra.topicPrefix(), 1_000);
        f.start(kafka, new SmsEncoder());

        long started = System.nanoTime();
        List<SubmitOutcome> outcomes = f.sendAll(MESSAGES);
        double seconds = (System.nanoTime() - started) / 1e9;
        int totalParts = 0;
        Map<String, String> messageOfDestination = new HashMap<>();
        for (int i = 0; i < MESSAGES; i++) {
            SubmitOutcome outcome = outcomes.get(i);
            assertThat(outcome.accepted()).as(outcome.toString()).isTrue();
            assertThat(outcome.parts()).hasSize(parts(text(i)));
            totalParts += outcome.parts().size();
            messageOfDestination.put(destination(i), outcome.messageId());
        }
        System.out.printf("%d messages / %d parts submitted in %.2f s = %.0f parts/s (Kafka publisher)%n",
                MESSAGES, totalParts, seconds, totalParts / seconds);

        // The SMSC's ledger: each destination got its message's parts, each part exactly once,
        // and the concatenated ones reassemble to the original text (Chinese included).
        assertThat(f.simulator.ledger().submits()).isEqualTo(totalParts);
        Map<String, List<LedgerEntry>> byDestination = f.simulator.ledger().entries().stream()
                .collect(Collectors.groupingBy(e -> e.destination));
        assertThat(byDestination).hasSize(MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            List<LedgerEntry> entries = byDestination.get(destination(i));
            int n = parts(text(i));
            assertThat(entries).as(destination(i)).hasSize(n);
            if (n > 1) {
                assertThat(entries.stream().map(e -> e.concatSequence).collect(Collectors.toSet()))
                        .isEqualTo(java.util.stream.IntStream.rangeClosed(1, n).boxed().collect(Collectors.toSet()));
                assertThat(entries).allSatisfy(e -> assertThat(e.concatTotal).isEqualTo(n));
                int reference = entries.get(0).concatReference;
                assertThat(f.simulator.ledger().reassembled(destination(i), reference)).isEqualTo(text(i));
            } else {
                assertThat(entries.get(0).text).isEqualTo(text(i));
            }
        }

        // Kafka: one submit result and one receipt (by event id) per part; receipts name our
        // message id and part; every record is keyed channel:smscId, one partition per key.
        int expected = totalParts;
        try (KafkaEventsReader reader = new KafkaEventsReader(infra, kafka.eventsTopic(), "ten-thousand")) {
            List<ConsumerRecord<String, String>> records = reader.readUntil(
                    r -> receiptsWithOurId(r).size() >= expected && count(r, SmsEvent.TYPE_SUBMIT_RESULT) >= expected,
                    60_000);
            List<SmsEvent> events = records.stream().map(r -> JsonIterator.deserialize(r.value(), SmsEvent.class)).toList();
            assertThat(events.stream().filter(e -> SmsEvent.TYPE_SUBMIT_RESULT.equals(e.type))).hasSize(expected);
            Map<String, Set<String>> receiptEventIdsByPart = new HashMap<>();
            for (SmsEvent e : events) {
                if (SmsEvent.TYPE_RECEIPT.equals(e.type) && e.messageId != null) {
                    receiptEventIdsByPart.computeIfAbsent(e.messageId + "#" + e.partIndex, k -> new HashSet<>()).add(e.eventId);
                    assertThat(e.status).isEqualTo("DELIVERED");
                }
            }
            Set<String> expectedParts = new HashSet<>();
            outcomes.forEach(o -> o.parts().forEach(p -> expectedParts.add(o.messageId() + "#" + p.index())));
            assertThat(receiptEventIdsByPart.keySet()).isEqualTo(expectedParts);
            assertThat(receiptEventIdsByPart.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
            Map<String, Set<Integer>> partitionsByKey = new HashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                SmsEvent e = JsonIterator.deserialize(r.value(), SmsEvent.class);
                assertThat(r.key()).isEqualTo("sim:" + e.smscId);
                partitionsByKey.computeIfAbsent(r.key(), k -> new HashSet<>()).add(r.partition());
            }
            assertThat(partitionsByKey).hasSize(expected);
            assertThat(partitionsByKey.values()).allSatisfy(p -> assertThat(p).hasSize(1));
        }
        // Counts deliver_sm received: a receipt the SMSC sent again (we asked it to retry while
        // Kafka was slow) counts twice, but is one event downstream (same event id, checked above).
        assertThat(f.registry.get("qingfeng.smpp.receipts").tag("channel", "sim").tag("state", "DELIVERED")
                .counter().count()).isGreaterThanOrEqualTo(expected);
        await(kafka.close());
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return SimChannelFixture.await(future);
    }

    private static Set<String> receiptsWithOurId(List<ConsumerRecord<String, String>> records) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, String> r : new ArrayList<>(records)) {
            if (r.value().contains("\"receipt\"") && !r.value().contains("\"messageId\":null")) {
                ids.add(r.key());
            }
        }
        return ids;
    }

    private static long count(List<ConsumerRecord<String, String>> records, String type) {
        return records.stream().filter(r -> r.value().contains("\"type\":\"" + type + "\"")).count();
    }
}
