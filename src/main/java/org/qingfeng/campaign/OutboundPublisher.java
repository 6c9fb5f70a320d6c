package org.qingfeng.campaign;

import com.jsoniter.output.JsonStream;
import io.vertx.core.Future;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Produces ledger message ids to sms.outbound. Each call waits for all its records to be
 * acknowledged, so a caller's batch size bounds the records in flight.
 */
public final class OutboundPublisher {
  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final Clock clock;

  public OutboundPublisher(KafkaProducer<String, String> producer, String topic, Clock clock) {
    this.producer = producer;
    this.topic = topic;
    this.clock = clock;
  }

  public Future<Void> publish(long campaignId, List<Long> messageIds) {
    if (messageIds.isEmpty()) {
      return Future.succeededFuture();
    }
    long now = clock.millis();
    List<Future<?>> acks = new ArrayList<>(messageIds.size());
    for (Long id : messageIds) {
      OutboundRecord r = new OutboundRecord();
      r.messageId = id;
      r.campaignId = campaignId;
      r.enqueuedAt = now;
      acks.add(producer.send(KafkaProducerRecord.create(topic, Long.toString(id), JsonStream.serialize(r))));
    }
    return Future.all(acks).mapEmpty();
  }

  /** A record that can never be applied goes to the dead-letter topic, counted by the caller. */
  public Future<Void> deadLetter(String dlqTopic, String key, String value) {
    return producer.send(KafkaProducerRecord.create(dlqTopic, key, value)).mapEmpty();
  }

  public Future<Void> close() {
    return producer.close();
  }
}
