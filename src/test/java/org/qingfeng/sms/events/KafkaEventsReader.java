package org.qingfeng.sms.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.qingfeng.kafka.KafkaSettings;
import org.qingfeng.kafka.TopicProvisioner;
import org.qingfeng.kafka.Topics;
import org.qingfeng.testing.TestInfra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Test helper: creates a class's topics (3 partitions) and reads a topic back with a plain consumer. */
public final class KafkaEventsReader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    public final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    public KafkaEventsReader(TestInfra infra, String topic, String group) {
        Map<String, Object> config = new HashMap<>(KafkaSettings.consumer(infra.kafkaBootstrap(), infra.groupId(group), group));
        config.put("max.poll.records", "5000");
        consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(topic));
    }

    public static void createTopics(Vertx vertx, TestInfra infra) throws Exception {
        createTopics(vertx, infra, infra.topicPrefix());
    }

    public static void createTopics(Vertx vertx, TestInfra infra, String prefix) throws Exception {
        KafkaAdminClient admin = KafkaAdminClient.create(vertx, KafkaSettings.admin(infra.kafkaBootstrap()));
        try {
            TopicProvisioner.ensure(vertx, admin, new Topics(prefix), 3, (short) 1)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            Future<Void> closed = admin.close();
            closed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Polls until {@code done} holds for everything read so far, or the time is up. */
    public List<ConsumerRecord<String, String>> readUntil(Predicate<List<ConsumerRecord<String, String>>> done, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!done.test(records) && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
