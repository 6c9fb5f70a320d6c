package org.qingfeng.campaign;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces ledger message ids to sms.outbound. Each call's future completes when all its
 * records are acknowledged, so the caller's batches bound the records in flight.
 *
 * <p>A batch is handed to the Kafka producer in one worker task (its {@code send} may block on
 * metadata or a full buffer) instead of one Vert.x task and promise per record: at a million
 * records that per-record hop was the expander's largest cost. Acks are counted on Kafka's
 * I/O thread and the result is delivered on the caller's context.
 */
public final class OutboundPublisher {
  /**
   * Overrides of the shared producer settings for sms.outbound. Its records are ~70-byte JSON ids
   * produced a page (thousands) at a time: lz4 saved few bytes on them but cost CPU twice, once
   * compressing in the producer and once in the broker, which must decompress a compressed batch
   * to validate and assign offsets (its largest single C2 compile in a cold expansion). Larger
   * batches mean fewer produce requests per page.
   */
  public static final Map<String, String> PRODUCER_SETTINGS =
      Map.of("compression.type", "none", "batch.size", Integer.toString(128 * 1024));

  private final Vertx vertx;
  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final Clock clock;

  public OutboundPublisher(Vertx vertx, KafkaProducer<String, String> producer, String topic, Clock clock) {
    this.vertx = vertx;
    this.producer = producer;
    this.topic = topic;
    this.clock = clock;
  }

  public Future<Void> publish(long campaignId, List<Long> messageIds) {
    int n = messageIds.size();
    if (n == 0) {
      return Future.succeededFuture();
    }
    long now = clock.millis();
    Context ctx = vertx.getOrCreateContext();
    Promise<Void> done = Promise.promise();
    Producer<String, String> kafka = producer.unwrap();
    AtomicInteger pending = new AtomicInteger(n);
    AtomicBoolean failed = new AtomicBoolean();
    ctx.executeBlocking(() -> {
      for (Long id : messageIds) {
        kafka.send(new ProducerRecord<>(topic, Long.toString(id), json(id, campaignId, now)), (meta, err) -> {
          if (err != null) {
            if (failed.compareAndSet(false, true)) {
              ctx.runOnContext(v -> done.tryFail(err));
            }
          } else if (pending.decrementAndGet() == 0) {
            ctx.runOnContext(v -> done.tryComplete());
          }
        });
      }
      return null;
    }).onFailure(done::tryFail);
    return done.future();
  }

  /** The {@link OutboundRecord} payload, written directly (the same JSON jsoniter writes and reads). */
  static String json(long messageId, long campaignId, long enqueuedAt) {
    return "{\"messageId\":" + messageId + ",\"campaignId\":" + campaignId + ",\"enqueuedAt\":" + enqueuedAt + "}";
  }

  /** A record that can never be applied goes to the dead-letter topic, counted by the caller. */
  public Future<Void> deadLetter(String dlqTopic, String key, String value) {
    return producer.send(KafkaProducerRecord.create(dlqTopic, key, value)).mapEmpty();
  }

  public Future<Void> close() {
    return producer.close();
  }
}
