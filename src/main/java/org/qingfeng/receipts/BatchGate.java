package org.qingfeng.receipts;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a batch in flight tells the batches taken after it: which messages its transaction locks,
 * and when it holds all those locks. A later batch applies the messages none of the earlier ones
 * touches at once and the others once the earlier ones hold their locks ({@link BatchRounds}).
 * Both complete, at the latest, when the batch's first transaction ends ({@link #release}: no
 * message set then means "take every message as shared").
 */
final class BatchGate {
  private final Promise<Set<String>> messages = Promise.promise();
  private final Promise<Void> locked = Promise.promise();

  void messages(Set<String> ids) {
    messages.tryComplete(ids);
  }

  void locked() {
    locked.tryComplete();
  }

  void release() {
    messages.tryComplete(null);
    locked.tryComplete();
  }

  /**
   * What a batch waits for before each of its two rounds. The waits are bounded: a batch of ours
   * waiting here is idle in its transaction, so PostgreSQL's deadlock detector cannot see this
   * edge; if an earlier batch is itself blocked in PostgreSQL behind something that waits for the
   * later one (a sweep locking both batches' messages, an event id both insert), the later one
   * goes on after {@code maxWaitMs} taking every message as shared, and every wait left is one
   * PostgreSQL sees (and resolves as a deadlock, which is retried).
   */
  record Ahead(Future<Set<String>> busy, Future<Void> locked) {
    /** No batch ahead: nothing is busy, nothing to wait for. */
    static final Ahead NONE = new Ahead(Future.succeededFuture(Set.of()), Future.succeededFuture());

    static Ahead of(Vertx vertx, List<BatchGate> gates, long maxWaitMs) {
      if (gates.isEmpty()) {
        return NONE;
      }
      List<Future<Set<String>>> sets = new ArrayList<>();
      List<Future<Void>> locks = new ArrayList<>();
      for (BatchGate g : gates) {
        sets.add(g.messages.future());
        locks.add(g.locked.future());
      }
      Future<Void> timeout = vertx.timer(maxWaitMs, TimeUnit.MILLISECONDS).mapEmpty();
      Future<Set<String>> union = Future.all(sets).map(all -> {
        Set<String> busy = new HashSet<>();
        for (Future<Set<String>> s : sets) {
          if (s.result() == null) {
            return null;
          }
          busy.addAll(s.result());
        }
        return busy;
      });
      Promise<Set<String>> busy = Promise.promise();
      union.onComplete(ar -> busy.tryComplete(ar.succeeded() ? ar.result() : null));
      timeout.onComplete(ar -> busy.tryComplete(null));
      Promise<Void> held = Promise.promise();
      Future.join(locks).onComplete(ar -> held.tryComplete());
      timeout.onComplete(ar -> held.tryComplete());
      return new Ahead(busy.future(), held.future());
    }
  }
}
