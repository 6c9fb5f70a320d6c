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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.qingfeng.campaign.CampaignStore;
import org.qingfeng.campaign.IoDeadline;
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
  private IoDeadline deadline;

  /** Sizing knobs. */
  public static final class Settings {
    public int chunk = 200;
    public int concurrency = 32;
    public int maxAttempts = 5;
    public boolean requeueOutcomeUnknown = true;
    public long gateRefreshMs = 200;
    /** The scheduler's stuck-sweep timeout: a claimed message must be submitted well within it. */
    public Duration submittingTimeout = Duration.ofMinutes(2);
  }

  private final Map<String, String> consumerConfig;
  private final String topic;
  private final String dlqTopic;
  private final LedgerStore ledger;
  private final OutboundPublisher outbound;
  private final CampaignStore campaigns;
  private final ChunkSubmitter submitter;
  private final Clock clock;
  private final Settings settings;
  private KafkaConsumer<String, String> consumer;
  private volatile boolean stopping;
  private final Promise<Void> loopEnded = Promise.promise();
  /** Each campaign's max_rate as last claimed here: sizes the next claim (see {@link #fits}). */
  private final Map<Long, Integer> rates = new HashMap<>();

  public SenderVerticle(Map<String, String> consumerConfig, String topic, String dlqTopic, LedgerStore ledger,
      CampaignStore campaigns, OutboundPublisher outbound, SmsGateway gateway, Clock clock, Settings settings, MeterRegistry registry) {
    this.consumerConfig = consumerConfig;
    this.topic = topic;
    this.dlqTopic = dlqTopic;
    this.ledger = ledger;
    this.outbound = outbound;
    this.campaigns = campaigns;
    this.clock = clock;
    this.settings = settings;
    this.submitter = new ChunkSubmitter(ledger, new CampaignGate(campaigns, settings.gateRefreshMs), gateway, clock,
        settings, registry);
  }

  @Override
  public Future<?> start() {
    deadline = new IoDeadline(vertx, context, IO_TIMEOUT_MS);
    submitter.bind(vertx, context, deadline);
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
        .compose(v -> bounded(consumer.commit()).recover(err -> {
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
    Map<Long, Long> campaignOf = new LinkedHashMap<>();
    List<Future<?>> dead = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> r = records.recordAt(i);
      try {
        OutboundRecord record = JsonIterator.deserialize(r.value(), OutboundRecord.class);
        campaignOf.putIfAbsent(record.messageId, record.campaignId);
      } catch (RuntimeException e) {
        LOG.error("unreadable sms.outbound record at {}-{}@{}: sent to the dead-letter topic", r.topic(), r.partition(), r.offset());
        dead.add(outbound.deadLetter(dlqTopic, r.key(), r.value()));
      }
    }
    List<Long> ids = new ArrayList<>(campaignOf.keySet());
    return bounded(Future.all(dead)).compose(v -> learnRates(campaignOf.values())).compose(v -> chunksFrom(ids, campaignOf));
  }

  /** Reads the rate of campaigns this sender has not claimed for yet (claims keep it current). */
  private Future<Void> learnRates(java.util.Collection<Long> campaignIds) {
    Long[] unknown = campaignIds.stream().distinct().filter(id -> !rates.containsKey(id)).toArray(Long[]::new);
    if (unknown.length == 0) {
      return Future.succeededFuture();
    }
    return bounded(campaigns.maxRates(unknown)).map(found -> {
      rates.putAll(found);
      return null;
    });
  }

  /**
   * The batch's ids chunk by chunk. The next chunk is claimed while the previous ones are still
   * submitting, so the gateway never waits for a claim, a chunk's slowest submit or its outcome
   * write; but only while what is claimed and unfinished stays within one chunk and within what
   * the slowest campaign sends in a quarter of the submitting timeout (see {@link #fits}).
   * After a chunk fails no more are claimed; the batch fails once the started ones are done.
   */
  private Future<Void> chunksFrom(List<Long> ids, Map<Long, Long> campaignOf) {
    List<Future<Void>> chunks = new ArrayList<>();
    Promise<Void> claimedAll = Promise.promise();
    claimFrom(ids, campaignOf, 0, chunks, claimedAll);
    return claimedAll.future().transform(ar -> Future.join(chunks)).mapEmpty();
  }

  private void claimFrom(List<Long> ids, Map<Long, Long> campaignOf, int from, List<Future<Void>> chunks, Promise<Void> claimedAll) {
    if (from >= ids.size() || chunks.stream().anyMatch(Future::failed)) {
      claimedAll.complete();
      return;
    }
    List<Long> candidates = ids.subList(from, Math.min(ids.size(), from + settings.chunk));
    long fits = fits(candidates, campaignOf);
    int size = (int) Math.max(1, Math.min(candidates.size(), fits));
    int room = (int) Math.max(0, Math.min(settings.chunk, fits - size));
    submitter.whenOutstandingAtMost(room)
        .compose(v -> bounded(ledger.claim(ids.subList(from, from + size).toArray(new Long[0]), clock.instant())))
        .onComplete(ar -> {
          if (ar.failed()) {
            chunks.add(Future.failedFuture(ar.cause()));
            claimedAll.complete();
            return;
          }
          chunks.add(submitClaimed(ar.result()));
          claimFrom(ids, campaignOf, from + size, chunks, claimedAll);
        });
  }

  /**
   * How many messages of the candidates' campaigns may be claimed and unfinished at once: what
   * the slowest of them sends in a quarter of the submitting timeout (at least one). A claimed
   * message waits in submitting for its turn at the campaign's rate; were more claimed, the
   * stuck-sweep would re-queue the ones still waiting and another claim would send them a
   * second time. A campaign whose rate is unknown (gone from the database) is claimed one
   * message at a time.
   */
  private long fits(List<Long> candidates, Map<Long, Long> campaignOf) {
    long quarterMs = Math.max(1, settings.submittingTimeout.toMillis() / 4);
    long fits = Long.MAX_VALUE;
    for (Long id : candidates) {
      Integer rate = rates.get(campaignOf.get(id));
      fits = Math.min(fits, rate == null ? 1 : Math.max(1, rate * quarterMs / 1000));
    }
    return fits;
  }

  private Future<Void> submitClaimed(io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows) {
    List<Claimed> claimed = new ArrayList<>(rows.size());
    rows.forEach(r -> claimed.add(new Claimed(r)));
    claimed.forEach(m -> rates.put(m.campaignId, m.maxRate));
    return submitter.submitAll(claimed).compose(result -> Future.succeededFuture()
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
  private <T> Future<T> bounded(Future<T> io) {
    return deadline.bound(io);
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
