package org.qingfeng.contacts;

import com.jsoniter.JsonIterator;
import com.jsoniter.output.JsonStream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qingfeng.kafka.KafkaSettings;
import org.qingfeng.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code sms.inbound} and puts senders of opt-out keywords on the opt-out list
 * (source 'mo'). One poll is one batch: the opt-outs go to Postgres in one idempotent statement,
 * records that cannot be read (not JSON, no source or text, a keyword from a number that is
 * not a number) go to {@code dlq}, and only then are the offsets committed. A crash before the
 * commit replays the batch, which the ON CONFLICT DO NOTHING makes harmless. A database that
 * does not answer is retried with back-off; the batch is never skipped.
 */
public final class InboundOptOutVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(InboundOptOutVerticle.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final long MAX_BACKOFF_MS = 30_000;

  private final String bootstrap;
  private final Topics topics;
  private final String groupId;
  private final OptOutStore store;
  private final PhoneNumbers numbers;
  private final OptOutKeywords keywords;
  private KafkaConsumer<String, String> consumer;
  private KafkaProducer<String, String> dlq;
  private volatile boolean stopping;
  private final Promise<Void> loopEnded = Promise.promise();

  public InboundOptOutVerticle(String bootstrap, Topics topics, String groupId, OptOutStore store,
      PhoneNumbers numbers, OptOutKeywords keywords) {
    this.bootstrap = bootstrap;
    this.topics = topics;
    this.groupId = groupId;
    this.store = store;
    this.numbers = numbers;
    this.keywords = keywords;
  }

  @Override
  public Future<?> start() {
    Map<String, String> cfg = KafkaSettings.consumer(bootstrap, groupId, "qingfeng-opt-out");
    cfg.put("max.poll.records", "500");
    consumer = KafkaConsumer.create(vertx, cfg);
    dlq = KafkaProducer.create(vertx, KafkaSettings.producer(bootstrap, "qingfeng-opt-out-dlq"));
    return consumer.subscribe(topics.smsInbound).onSuccess(v -> {
      LOG.info("opt-out keywords consumer on {} (group {})", topics.smsInbound, groupId);
      vertx.runOnContext(x -> loop());
    });
  }

  private void loop() {
    if (stopping) {
      loopEnded.tryComplete();
      return;
    }
    consumer.poll(POLL)
        .compose(records -> apply(records, 0))
        .onComplete(ar -> {
          if (ar.failed() && !stopping) {
            LOG.warn("opt-out consumer poll failed, retrying: {}", ar.cause().toString());
            vertx.setTimer(1000, t -> loop());
          } else {
            loop();
          }
        });
  }

  /** Writes a batch's opt-outs and dead letters, then commits; retries the same batch on failure. */
  private Future<Void> apply(KafkaConsumerRecords<String, String> records, int attempt) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<String, String> optOuts = new LinkedHashMap<>();
    List<DeadLetter> dead = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      classify(records.recordAt(i), optOuts, dead);
    }
    Future<Void> writes = store.addAll(new ArrayList<>(optOuts.keySet()), OptOutStore.SOURCE_MO, new ArrayList<>(optOuts.values()))
        .compose(added -> {
          if (added > 0) {
            LOG.info("opt-out: {} number(s) added from inbound keywords", added);
          }
          return sendDeadLetters(dead);
        })
        .compose(v -> consumer.commit());
    return writes.recover(err -> {
      if (stopping) {
        return Future.failedFuture(err); // not committed: replayed by whoever consumes next
      }
      long backoff = Math.min(MAX_BACKOFF_MS, 500L << Math.min(attempt, 6));
      LOG.warn("opt-out batch of {} record(s) not applied (attempt {}), retrying in {} ms: {}",
          records.size(), attempt + 1, backoff, err.toString());
      Promise<Void> again = Promise.promise();
      vertx.setTimer(backoff, t -> apply(records, attempt + 1).onComplete(again));
      return again.future();
    });
  }

  private void classify(KafkaConsumerRecord<String, String> rec, Map<String, String> optOuts, List<DeadLetter> dead) {
    InboundSms sms;
    try {
      if (rec.value() == null) {
        throw new IllegalArgumentException("empty record");
      }
      sms = JsonIterator.deserialize(rec.value(), InboundSms.class);
    } catch (RuntimeException e) {
      dead.add(deadLetter(rec, "not an inbound SMS record: " + e.getClass().getSimpleName()));
      return;
    }
    if (sms == null || sms.source == null || sms.source.isBlank() || sms.text == null) {
      dead.add(deadLetter(rec, "an inbound SMS record needs 'source' and 'text'"));
      return;
    }
    String keyword = keywords.match(sms.text);
    if (keyword == null) {
      return; // an ordinary reply: nothing to do here
    }
    PhoneNumbers.Result phone = numbers.normalize(sms.source);
    if (!phone.valid()) {
      dead.add(deadLetter(rec, "opt-out keyword from a source that is not a phone number: " + phone.reason()));
      return;
    }
    optOuts.putIfAbsent(phone.e164(), "MO keyword '" + keyword + "'" + (sms.eventId == null ? "" : " (event " + sms.eventId + ")"));
  }

  private Future<Void> sendDeadLetters(List<DeadLetter> dead) {
    List<Future<?>> sends = new ArrayList<>();
    for (DeadLetter d : dead) {
      LOG.warn("inbound record {}-{}@{} to {}: {}", d.sourceTopic, d.partition, d.offset, topics.dlq, d.error);
      sends.add(dlq.send(KafkaProducerRecord.create(topics.dlq, d.key, JsonStream.serialize(d))));
    }
    return Future.all(sends).mapEmpty();
  }

  private DeadLetter deadLetter(KafkaConsumerRecord<String, String> rec, String error) {
    DeadLetter d = new DeadLetter();
    d.sourceTopic = rec.topic();
    d.partition = rec.partition();
    d.offset = rec.offset();
    d.key = rec.key();
    d.value = rec.value() == null || rec.value().length() <= 10_000 ? rec.value() : rec.value().substring(0, 10_000);
    d.error = error;
    d.consumer = groupId;
    d.failedAt = System.currentTimeMillis();
    return d;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    Promise<Void> bounded = Promise.promise();
    long timer = vertx.setTimer(3000, t -> bounded.tryComplete());
    loopEnded.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      bounded.tryComplete();
    });
    return bounded.future()
        .eventually(() -> consumer.close())
        .eventually(() -> dlq.close());
  }
}
