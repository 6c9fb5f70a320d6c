package org.qingfeng.campaign.dispatch;

import com.jsoniter.JsonIterator;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.qingfeng.campaign.CampaignStore;
import org.qingfeng.campaign.LedgerStore;
import org.qingfeng.campaign.OutboundPublisher;
import org.qingfeng.campaign.OutboundRecord;
import org.qingfeng.campaign.SmsGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes sms.outbound in batches (poll, process, commit: the consumer reads nothing new while
 * a batch is in progress), claims each chunk in the ledger with one conditional UPDATE, submits
 * the claimed messages at their campaign's rate through the {@link SmsGateway}, records the
 * outcomes, and commits offsets only after the ledger holds them. A failed batch is retried as
 * a whole: claims make the retry harmless.
 */
public final class SenderVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SenderVerticle.class);
  static final long IO_TIMEOUT_MS = 30_000;

  /** Sizing knobs. */
  public static final class Settings {
    public int chunk = 200;
    public int concurrency = 32;
    public int maxAttempts = 5;
    public boolean requeueOutcomeUnknown = true;
    public long gateRefreshMs = 200;
  }

  private final Map<String, String> consumerConfig;
  private final String topic;
  private final String dlqTopic;
  private final LedgerStore ledger;
  private final OutboundPublisher outbound;
  private final ChunkSubmitter submitter;
  private final Clock clock;
  private final Settings settings;
  private KafkaConsumer<String, String> consumer;
  private volatile boolean stopping;
  private final Promise<Void> loopEnded = Promise.promise();

  public SenderVerticle(Map<String, String> consumerConfig, String topic, String dlqTopic, LedgerStore ledger,
      CampaignStore campaigns, OutboundPublisher outbound, SmsGateway gateway, Clock clock, Settings settings, MeterRegistry registry) {
    this.consumerConfig = consumerConfig;
    this.topic = topic;
    this.dlqTopic = dlqTopic;
    this.ledger = ledger;
    this.outbound = outbound;
    this.clock = clock;
    this.settings = settings;
    this.submitter = new ChunkSubmitter(ledger, new CampaignGate(campaigns, settings.gateRefreshMs), gateway, clock,
        settings, registry);
  }

  @Override
  public Future<?> start() {
    submitter.bind(vertx, context);
    consumer = KafkaConsumer.create(vertx, consumerConfig);
    return consumer.subscribe(topic).onSuccess(v -> loop());
  }

  private void loop() {
    if (stopping) {
      loopEnded.tryComplete();
      return;
    }
    consumer.poll(Duration.ofMillis(250)).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("sms.outbound poll failed: {}", ar.cause().toString());
        vertx.setTimer(1000, t -> loop());
      } else if (ar.result().isEmpty()) {
        loop();
      } else {
        handleUntilDone(ar.result(), 0);
      }
    });
  }

  /** Applies one polled batch, retrying it whole on failure, then commits and polls again. */
  private void handleUntilDone(KafkaConsumerRecords<String, String> records, int failures) {
    handle(records)
        .compose(v -> consumer.commit().recover(err -> {
          // The group moved on (rebalance): the records come again elsewhere and the claims stop them.
          LOG.warn("offset commit failed; the batch will be redelivered and re-claimed: {}", err.toString());
          return Future.succeededFuture();
        }))
        .onSuccess(v -> loop())
        .onFailure(err -> {
          if (stopping) {
            loopEnded.tryComplete(); // uncommitted: the records come again after the restart
            return;
          }
          LOG.warn("sms.outbound batch failed (attempt {}), retrying: {}", failures + 1, err.toString());
          vertx.setTimer(Math.min(5000, 200L << Math.min(failures, 5)), t -> handleUntilDone(records, failures + 1));
        });
  }

  private Future<Void> handle(KafkaConsumerRecords<String, String> records) {
    Set<Long> ids = new LinkedHashSet<>();
    List<Future<?>> dead = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> r = records.recordAt(i);
      try {
        ids.add(JsonIterator.deserialize(r.value(), OutboundRecord.class).messageId);
      } catch (RuntimeException e) {
        LOG.error("unreadable sms.outbound record at {}-{}@{}: sent to the dead-letter topic", r.topic(), r.partition(), r.offset());
        dead.add(outbound.deadLetter(dlqTopic, r.key(), r.value()));
      }
    }
    List<Long> all = new ArrayList<>(ids);
    Future<Void> chain = Future.all(dead).mapEmpty();
    for (int from = 0; from < all.size(); from += settings.chunk) {
      List<Long> chunk = all.subList(from, Math.min(all.size(), from + settings.chunk));
      chain = chain.compose(v -> processChunk(chunk));
    }
    return chain;
  }

  private Future<Void> processChunk(List<Long> ids) {
    return bounded(ledger.claim(ids.toArray(new Long[0]), clock.instant())).compose(rows -> {
      List<Claimed> claimed = new ArrayList<>(rows.size());
      rows.forEach(r -> claimed.add(new Claimed(r)));
      return submitter.submitAll(claimed);
    }).compose(result -> Future.succeededFuture()
        .compose(v -> result.released.isEmpty() ? Future.succeededFuture()
            // Held messages wait for the requeue pass (their campaign is leaving running); failed
            // ones come again with this batch's retry, which claims them afresh.
            : bounded(ledger.release(result.released.toArray(new Long[0]), clock.instant(), result.failure == null)))
        .compose(v -> republish(result.retry))
        .compose(v -> result.failure == null ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(result.failure)));
  }

  /** Messages put back to queued for a retry go to the end of the topic again before the offsets move. */
  private Future<Void> republish(Map<Long, List<Long>> retryByCampaign) {
    List<Future<?>> acks = new ArrayList<>();
    retryByCampaign.forEach((campaign, ids) -> acks.add(outbound.publish(campaign, ids)));
    return bounded(Future.all(acks).mapEmpty());
  }

  /**
   * Every Postgres and Kafka wait on the batch path ends: a request lost with its connection
   * (a database restart) fails the batch, which is retried, instead of holding the consumer,
   * which then stops polling while its claimed messages age into the stuck-sweep.
   */
  static <T> Future<T> bounded(Future<T> io) {
    return io.timeout(IO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
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
    return bounded.future().compose(v -> consumer.close()).eventually(() -> outbound.close())
        .recover(err -> Future.succeededFuture());
  }
}
