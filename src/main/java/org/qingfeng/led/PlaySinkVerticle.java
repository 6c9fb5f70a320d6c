package org.qingfeng.led;

import com.jsoniter.JsonIterator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.qingfeng.kafka.KafkaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka led.plays → Postgres led_play. One batch at a time (bounded by max.poll.records): parse,
 * insert idempotently in one statement, and only then commit the offsets. A record that cannot
 * be read, or that Postgres refuses on its own, goes to the dead-letter topic with the reason;
 * when Postgres itself does not answer, the same batch is retried (offsets stay uncommitted).
 */
public final class PlaySinkVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PlaySinkVerticle.class);
  private final LedPlayStore store;
  private final String bootstrap;
  private final String topic;
  private final String dlqTopic;
  private final String groupId;
  private KafkaConsumer<String, String> consumer;
  private KafkaProducer<String, String> dlq;
  private volatile boolean stopping;
  private Promise<Void> stopped;

  public PlaySinkVerticle(LedPlayStore store, String bootstrap, String topic, String dlqTopic, String groupId) {
    this.store = store;
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.dlqTopic = dlqTopic;
    this.groupId = groupId;
  }

  @Override
  public Future<?> start() {
    Map<String, String> cfg = KafkaSettings.consumer(bootstrap, groupId, "qingfeng-led-play-sink");
    cfg.put("max.poll.records", "2000");
    consumer = KafkaConsumer.create(vertx, cfg);
    dlq = KafkaProducer.create(vertx, KafkaSettings.producer(bootstrap, "qingfeng-led-play-dlq"));
    return consumer.subscribe(topic).onSuccess(v -> loop());
  }

  private void loop() {
    if (stopping) {
      stopped.tryComplete();
      return;
    }
    consumer.poll(Duration.ofMillis(250))
        .compose(records -> records.isEmpty() ? Future.succeededFuture() : apply(records, 0).compose(v -> consumer.commit()))
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("play sink batch failed, will retry: {}", ar.cause().toString());
            vertx.setTimer(500, t -> loop());
          } else {
            loop();
          }
        });
  }

  /** Applies one polled batch; retries while Postgres is unreachable, so nothing is skipped. */
  private Future<Void> apply(KafkaConsumerRecords<String, String> records, int attempt) {
    List<PlayRecord> good = new ArrayList<>();
    List<Future<?>> dead = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> r = records.recordAt(i);
      PlayRecord p = parse(r.value());
      if (p == null) {
        dead.add(deadLetter(r.key(), r.value(), "unreadable play record"));
      } else {
        good.add(p);
      }
    }
    return Future.all(dead).compose(v -> store(good, attempt));
  }

  private Future<Void> store(List<PlayRecord> good, int attempt) {
    if (good.isEmpty()) {
      return Future.succeededFuture();
    }
    return store.insertPlays(good).<Void>mapEmpty().recover(err -> {
      if (stopping) {
        return Future.failedFuture(err);
      }
      if (err instanceof PgException && attempt >= 2) {
        // Postgres refuses the data itself: find the rows it refuses and dead-letter only those.
        return one(good, 0);
      }
      Promise<Void> retry = Promise.promise();
      vertx.setTimer(Math.min(5_000, 200L << Math.min(attempt, 5)), t -> store(good, attempt + 1).onComplete(retry));
      return retry.future();
    });
  }

  private Future<Void> one(List<PlayRecord> plays, int i) {
    if (i >= plays.size()) {
      return Future.succeededFuture();
    }
    PlayRecord p = plays.get(i);
    return store.insertPlays(List.of(p)).<Void>mapEmpty()
        .recover(err -> err instanceof PgException
            ? deadLetter(Long.toString(p.screenId), com.jsoniter.output.JsonStream.serialize(p), err.getMessage()).mapEmpty()
            : Future.failedFuture(err))
        .compose(v -> one(plays, i + 1));
  }

  static PlayRecord parse(String json) {
    try {
      PlayRecord p = JsonIterator.deserialize(json, PlayRecord.class);
      return p != null && p.valid() ? p : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private Future<?> deadLetter(String key, String value, String reason) {
    LOG.warn("play record to {}: {}", dlqTopic, reason);
    String body = new JsonObject().put("source", topic).put("reason", reason).put("record", value).encode();
    return dlq.send(KafkaProducerRecord.create(dlqTopic, key, body));
  }

  @Override
  public Future<?> stop() {
    stopped = Promise.promise();
    stopping = true;
    vertx.setTimer(3_000, t -> stopped.tryComplete());
    return stopped.future().compose(v -> consumer.close()).compose(v -> dlq.close());
  }
}
