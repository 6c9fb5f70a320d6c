package org.qingfeng.receipts;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.qingfeng.kafka.KafkaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records the sink cannot apply to {@code <prefix>dlq} with the reason and where they came
 * from. A record's offset is committed only after its dead letter is acknowledged, so nothing
 * the sink gives up on is lost; a failed produce is retried until it succeeds or the sink stops.
 */
final class DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
  private final Vertx vertx;
  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final ReceiptMetrics metrics;
  private final BooleanSupplier stopping;
  private final Clock clock;

  DeadLetters(Vertx vertx, String bootstrap, String topic, ReceiptMetrics metrics, BooleanSupplier stopping, Clock clock) {
    this.vertx = vertx;
    this.producer = KafkaProducer.create(vertx, KafkaSettings.producer(bootstrap, "qingfeng-receipts-dlq"));
    this.topic = topic;
    this.metrics = metrics;
    this.stopping = stopping;
    this.clock = clock;
  }

  Future<Void> sendAll(List<ResilientApplier.Poison> poison) {
    Future<Void> chain = Future.succeededFuture();
    for (ResilientApplier.Poison p : poison) {
      chain = chain.compose(v -> send(p, 200));
    }
    return chain;
  }

  private Future<Void> send(ResilientApplier.Poison p, long backoff) {
    KafkaConsumerRecord<String, String> r = p.record();
    String letter = new JsonObject()
        .put("reason", p.reason())
        .put("source_topic", r.topic())
        .put("partition", r.partition())
        .put("offset", r.offset())
        .put("key", r.key())
        .put("value", r.value())
        .put("failed_at", clock.millis())
        .encode();
    return producer.send(KafkaProducerRecord.create(topic, r.key(), letter)).<Void>mapEmpty()
        .onSuccess(v -> {
          metrics.deadLetter();
          log.warn("sms.events record {}-{}@{} sent to {}: {}", r.topic(), r.partition(), r.offset(), topic, p.reason());
        })
        .recover(err -> {
          if (stopping.getAsBoolean()) {
            return Future.failedFuture(err);
          }
          log.warn("dead letter for {}-{}@{} not acknowledged, retrying: {}", r.topic(), r.partition(), r.offset(), err.toString());
          Promise<Void> later = Promise.promise();
          vertx.setTimer(backoff, id -> send(p, Math.min(5_000, backoff * 2)).onComplete(later));
          return later.future();
        });
  }

  Future<Void> close() {
    return producer.close();
  }
}
