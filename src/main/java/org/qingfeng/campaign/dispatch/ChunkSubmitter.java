package org.qingfeng.campaign.dispatch;

import org.qingfeng.sms.PhoneMask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.qingfeng.campaign.IoDeadline;
import org.qingfeng.campaign.LedgerStore;
import org.qingfeng.campaign.Phones;
import org.qingfeng.campaign.SendResult;
import org.qingfeng.campaign.SmsGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits claimed messages through the gateway: at most {@code concurrency} in flight, each
 * campaign at its own rate, each checked against its window and expiry right before submit.
 * Everything runs on the sender's event loop; gateway callbacks are brought back to it.
 */
final class ChunkSubmitter {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkSubmitter.class);

  /**
   * What became of a chunk. Outcomes are written to the ledger as they come (every
   * {@link #FLUSH_AT} results or {@link #FLUSH_MS}), so one slow submit does not leave the
   * chunk's other messages looking stuck in submitting.
   */
  final class Result {
    final List<LedgerStore.Outcome> outcomes = new ArrayList<>();
    final List<Long> released = new ArrayList<>();
    final Map<Long, List<Long>> retry = new HashMap<>();
    final List<Future<?>> writes = new ArrayList<>();
    /** Why a claimed message could be neither submitted nor held (it is released); the chunk then fails. */
    Throwable failure;

    void add(LedgerStore.Outcome o) {
      outcomes.add(o);
      if (outcomes.size() >= FLUSH_AT) {
        flush();
      }
    }

    void flush() {
      if (!outcomes.isEmpty()) {
        writes.add(deadline.bound(ledger.recordOutcomes(new ArrayList<>(outcomes), clock.instant())));
        outcomes.clear();
      }
    }

    Future<Result> written() {
      flush();
      return Future.all(writes).map(this);
    }
  }

  static final int FLUSH_AT = 50;
  static final long FLUSH_MS = 100;

  private final LedgerStore ledger;
  private final SmsGateway gateway;
  private final Clock clock;
  private final SenderVerticle.Settings settings;
  private final Map<Long, TokenBucket> buckets = new HashMap<>();
  private final Counter submitted;
  private final Counter failed;
  private final Counter retried;
  private final Counter unknown;
  private final Counter held;
  private Vertx vertx;
  private Context context;
  private IoDeadline deadline;

  private final CampaignGate gate;
  /** Messages of the current chunks waiting for a submit slot, in claim order. */
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private final List<RoomWaiter> roomWaiters = new ArrayList<>();
  private int inFlight;
  private int outstanding;
  private boolean pumping;

  private record RoomWaiter(int limit, Promise<Void> promise) {
  }

  ChunkSubmitter(LedgerStore ledger, CampaignGate gate, SmsGateway gateway, Clock clock, SenderVerticle.Settings settings,
      MeterRegistry registry) {
    this.ledger = ledger;
    this.gate = gate;
    this.gateway = gateway;
    this.clock = clock;
    this.settings = settings;
    this.submitted = counter(registry, "submitted");
    this.failed = counter(registry, "failed");
    this.retried = counter(registry, "retry");
    this.unknown = counter(registry, "outcome_unknown");
    this.held = counter(registry, "held");
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("qingfeng.sender.messages").tag("outcome", outcome)
        .description("Campaign messages handled by the sender, by outcome").register(registry);
  }

  void bind(Vertx vertx, Context context, IoDeadline deadline) {
    this.vertx = vertx;
    this.context = context;
    this.deadline = deadline;
  }

  /**
   * Submits a claimed chunk; the result completes when every message of it has an outcome and
   * the outcomes are written. Chunks may overlap (the sender claims the next one while this one
   * is submitting): they share the {@code concurrency} slots, first come first served, so the
   * gateway's window stays full across chunk boundaries instead of draining at each one.
   */
  Future<Result> submitAll(List<Claimed> claimed) {
    Result result = new Result();
    if (claimed.isEmpty()) {
      return Future.succeededFuture(result);
    }
    Promise<Result> done = Promise.promise();
    long flusher = vertx.setPeriodic(FLUSH_MS, t -> result.flush());
    int[] finished = {0};
    outstanding += claimed.size();
    for (Claimed m : claimed) {
      waiting.add(() -> submitOne(m, result).onComplete(ar -> {
        inFlight--;
        outstanding--;
        if (ar.failed()) {
          // Never leave a claimed message behind in submitting: that is what the stuck-sweep
          // counts as outcome unknown. Nothing reached the gateway, so it goes back to queued.
          result.released.add(m.id);
          if (result.failure == null) {
            result.failure = ar.cause();
          }
        }
        if (++finished[0] == claimed.size()) {
          vertx.cancelTimer(flusher);
          result.written().onComplete(done);
        }
        pump();
        wakeRoomWaiters();
      }));
    }
    pump();
    return done.future();
  }

  /** Claimed messages of all chunks that have no outcome yet (waiting for a slot or in flight). */
  int outstanding() {
    return outstanding;
  }

  /** Completes once at most {@code limit} claimed messages are without an outcome. */
  Future<Void> whenOutstandingAtMost(int limit) {
    if (outstanding <= limit) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    roomWaiters.add(new RoomWaiter(limit, p));
    return p.future();
  }

  /** Completes the waiters there is room for, after taking them out: a completion may add a new waiter. */
  private void wakeRoomWaiters() {
    if (roomWaiters.isEmpty()) {
      return;
    }
    List<RoomWaiter> ready = new ArrayList<>();
    for (Iterator<RoomWaiter> it = roomWaiters.iterator(); it.hasNext(); ) {
      RoomWaiter w = it.next();
      if (outstanding <= w.limit) {
        ready.add(w);
        it.remove();
      }
    }
    ready.forEach(w -> w.promise.tryComplete());
  }

  /**
   * Starts waiting submits while slots are free. Re-entrant calls (a submit that completes at
   * once, e.g. a held message) return at once and the outer loop carries on, so a chunk of
   * held messages does not recurse once per message.
   */
  private void pump() {
    if (pumping) {
      return;
    }
    pumping = true;
    try {
      while (inFlight < settings.concurrency && !waiting.isEmpty()) {
        inFlight++;
        waiting.poll().run();
      }
    } finally {
      pumping = false;
    }
  }

  private Future<Void> submitOne(Claimed m, Result result) {
    TokenBucket bucket = buckets.computeIfAbsent(m.campaignId, id -> new TokenBucket(vertx, m.maxRate));
    bucket.setRate(m.maxRate);
    // Checked before the rate wait too: a message of a campaign that is pausing, or outside its
    // window, goes back at once instead of queueing behind the others for a token it won't use.
    return gate.running(m.campaignId).compose(before -> !before || !m.sendableAt(clock.instant()) ? hold(m, result)
        : bucket.acquire().compose(v -> gate.running(m.campaignId)).compose(running ->
            !running || !m.sendableAt(clock.instant()) ? hold(m, result) : send(m, result)));
  }

  private Future<Void> send(Claimed m, Result result) {
    Promise<Void> p = Promise.promise();
    gateway.send(m.channel, m.campaignId, Long.toString(m.id), m.phone, m.text)
        .onComplete(ar -> context.runOnContext(x -> {
          try {
            record(m, ar, result);
          } finally {
            p.complete();
          }
        }));
    return p.future();
  }

  private Future<Void> hold(Claimed m, Result result) {
    held.increment();
    result.released.add(m.id);
    return Future.succeededFuture();
  }

  private void record(Claimed m, AsyncResult<SendResult> ar, Result result) {
    SendResult r = ar.succeeded() ? ar.result() : SendResult.unknown(String.valueOf(ar.cause()));
    switch (r.status) {
      case SUBMITTED:
        submitted.increment();
        result.add(new LedgerStore.Outcome(m.id, m.campaignId, "submitted", String.join(",", r.smscIds), null, false));
        break;
      case REJECTED:
        failed.increment();
        result.add(new LedgerStore.Outcome(m.id, m.campaignId, "failed", null, r.error, false));
        break;
      case RETRY:
        retryOrFail(m, result, r.error, false);
        break;
      default:
        unknown.increment();
        LOG.warn("message {} to {}: outcome unknown ({})", m.id, PhoneMask.mask(m.phone), r.error);
        if (settings.requeueOutcomeUnknown) {
          retryOrFail(m, result, r.error, true);
        } else {
          result.add(new LedgerStore.Outcome(m.id, m.campaignId, "failed", null, "outcome unknown: " + r.error, true));
        }
    }
  }

  private void retryOrFail(Claimed m, Result result, String error, boolean outcomeUnknown) {
    if (m.attempts >= settings.maxAttempts) {
      failed.increment();
      result.add(new LedgerStore.Outcome(m.id, m.campaignId, "failed", null,
          "gave up after " + m.attempts + " attempts: " + error, outcomeUnknown));
      return;
    }
    retried.increment();
    result.add(new LedgerStore.Outcome(m.id, m.campaignId, "queued", null, error, outcomeUnknown));
    result.retry.computeIfAbsent(m.campaignId, k -> new ArrayList<>()).add(m.id);
  }
}
