package org.qingfeng.receipts;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The periodic reconciliation: matches parked receipts whose submit result has arrived (a batch
 * only matches the messages it touched), moves receipts parked longer than unmatched-after to the
 * unmatched table, and turns messages with no outcome after unknown-after into unknown. Each step
 * works in pages and goes through {@link BatchApplier#recompute}, so statistics follow.
 */
public final class ReceiptSweeper {
  /** What one sweep did. */
  public record Result(int matchedMessages, int movedUnmatched, int becameUnknown, long parked, long unmatched) {
  }

  static final int PAGE = 2000;
  static final int MAX_PAGES = 50;
  private final ReceiptSweepStore store;
  private final BatchApplier applier;
  private final Clock clock;
  private final ReceiptSinkOptions options;
  private final ReceiptMetrics metrics;

  public ReceiptSweeper(ReceiptStore store, BatchApplier applier, Clock clock, ReceiptSinkOptions options,
      ReceiptMetrics metrics) {
    this.store = new ReceiptSweepStore(store.pool());
    this.applier = applier;
    this.clock = clock;
    this.options = options;
    this.metrics = metrics;
  }

  public Future<Result> sweepOnce() {
    long now = clock.millis();
    int[] out = new int[3];
    return pages(() -> store.matchable(PAGE), out, 0, 0)
        .compose(v -> store.moveUnmatched(now - options.unmatchedAfterMs, now))
        .compose(moved -> {
          out[1] = moved;
          metrics.unmatchedMoved(moved);
          long cutoff = now - options.unknownAfterMs;
          return pages(() -> store.dueUnknown(cutoff, PAGE), out, 2, 0)
              .compose(drained -> drained ? store.advanceUnknownMark(cutoff) : Future.succeededFuture());
        })
        .compose(v -> store.backlog())
        .map(backlog -> {
          metrics.backlog(backlog[0], backlog[1]);
          return new Result(out[0], out[1], out[2], backlog[0], backlog[1]);
        });
  }

  /** Recomputes page after page; completes with true when the last page was not full (nothing left). */
  private Future<Boolean> pages(Supplier<Future<List<String>>> page, int[] out, int slot, int round) {
    return page.get().compose(ids -> applier.recompute(ids).compose(r -> {
      out[slot] += r.messagesChanged();
      if (ids.size() < PAGE) {
        return Future.succeededFuture(true);
      }
      if (round + 1 >= MAX_PAGES || r.messagesChanged() == 0) {
        return Future.succeededFuture(false);
      }
      return pages(page, out, slot, round + 1);
    }));
  }
}
