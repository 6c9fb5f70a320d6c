package org.qingfeng.led;

import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * The long-polls one instance holds, by screen. A waiter ends exactly once: woken by a changed
 * playlist, timed out, or dropped with its connection. The count is bounded; beyond it a poll
 * is refused (503) rather than queued.
 */
public final class PollHub {
  private final Vertx vertx;
  private final int max;
  private final Map<Long, Set<Waiter>> byScreen = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();

  public PollHub(Vertx vertx, int max) {
    this.vertx = vertx;
    this.max = max;
  }

  public int size() {
    return count.get();
  }

  /** Calls back with every screen that has a poll held here now. */
  public void forEachHeldScreen(LongConsumer action) {
    byScreen.forEach((id, waiters) -> {
      if (!waiters.isEmpty()) {
        action.accept(id);
      }
    });
  }

  /** Holds a poll whose client has the playlist with this ETag; null when the hub is full. */
  public Waiter hold(long screenId, String etag, boolean plain, long timeoutMs, Consumer<Playlist> onChange, Runnable onTimeout) {
    if (count.incrementAndGet() > max) {
      count.decrementAndGet();
      return null;
    }
    Waiter w = new Waiter(screenId, etag, plain, (ContextInternal) vertx.getOrCreateContext(), onChange, onTimeout);
    byScreen.computeIfAbsent(screenId, k -> ConcurrentHashMap.newKeySet()).add(w);
    w.timer = vertx.setTimer(Math.max(1, timeoutMs), t -> w.timeOut());
    return w;
  }

  /**
   * Answers every waiter whose screen's playlist now differs from what it holds (null: the
   * screen is gone or revoked; the waiter's timeout path answers that). The caller only sorts
   * the waiters by event loop; each loop then compiles its screens' playlists (cached, so a
   * screen is compiled about once) and answers its own waiters in one task, so an alert to
   * thousands of screens uses every loop and blocks none for long. {@code done} receives
   * what was done ({@link WakeReport}), once every loop has finished.
   *
   * <p>Each request runs on its own duplicated context, so the waiters are grouped by the
   * event-loop context underneath ({@code unwrap()}); grouping by the request context made one
   * task per waiter, and 10,000 tiny tasks queued behind the loop's I/O took seconds.
   */
  public void wake(LongFunction<Playlist> current, Consumer<WakeReport> done) {
    long t0 = System.nanoTime();
    Map<ContextInternal, List<Waiter>> byLoop = new HashMap<>();
    for (Set<Waiter> waiters : byScreen.values()) {
      for (Waiter w : waiters) {
        byLoop.computeIfAbsent(w.context.unwrap(), k -> new ArrayList<>()).add(w);
      }
    }
    if (byLoop.isEmpty()) {
      done.accept(new WakeReport(0, 0, 0, 0));
      return;
    }
    WakeRound round = new WakeRound(t0, byLoop.size(), done);
    int loopIndex = 0;
    for (Map.Entry<ContextInternal, List<Waiter>> e : byLoop.entrySet()) {
      List<Waiter> waiters = e.getValue();
      // Every loop's list is in the same screen order, and a screen's playlist is compiled under
      // its cache entry's lock: walked from the same end, the loops met at every screen, one
      // compiling and the other parked on the lock. Each starts its walk at its own share.
      int start = loopIndex++ * waiters.size() / round.loops;
      e.getKey().runOnContext(v -> {
        long started = System.nanoTime();
        List<Waiter> woken = new ArrayList<>();
        for (int i = 0, n = waiters.size(); i < n; i++) {
          Waiter w = waiters.get((start + i) % n);
          Playlist p = current.apply(w.screenId);
          if ((p == null || !p.etag(w.plain).equals(w.etag)) && w.claim()) {
            // Same thread: run the answer on the request's own context without another task.
            w.context.emit(p, w::answer);
            woken.add(w);
          }
        }
        // Each cancelled timer is a priority-queue removal: done once the answers are written.
        woken.forEach(w -> vertx.cancelTimer(w.timer));
        round.loopDone(started, woken.size());
      });
    }
  }

  /** The loops' shares of one wake-up; the last to finish reports. */
  private static final class WakeRound {
    final long t0;
    final int loops;
    final Consumer<WakeReport> done;
    final AtomicInteger loopsLeft;
    final AtomicInteger answered = new AtomicInteger();
    final AtomicLong maxQueuedNs = new AtomicLong();
    final AtomicLong maxRunNs = new AtomicLong();

    WakeRound(long t0, int loops, Consumer<WakeReport> done) {
      this.t0 = t0;
      this.loops = loops;
      this.done = done;
      this.loopsLeft = new AtomicInteger(loops);
    }

    void loopDone(long started, int answeredHere) {
      long finished = System.nanoTime();
      answered.addAndGet(answeredHere);
      maxQueuedNs.accumulateAndGet(started - t0, Math::max);
      maxRunNs.accumulateAndGet(finished - started, Math::max);
      if (loopsLeft.decrementAndGet() == 0) {
        done.accept(new WakeReport(answered.get(), loops, maxQueuedNs.get(), maxRunNs.get()));
      }
    }
  }

  /**
   * What one wake-up did: how many polls it answered on how many event loops, the longest a
   * loop's task waited in its queue, and the longest one ran (compiling and writing answers).
   */
  public record WakeReport(int answered, int loops, long maxQueuedNs, long maxRunNs) {
  }

  public final class Waiter {
    final long screenId;
    final String etag;
    final boolean plain;
    final ContextInternal context;
    final Consumer<Playlist> onChange;
    final Runnable onTimeout;
    final AtomicBoolean done = new AtomicBoolean();
    volatile long timer = -1;

    Waiter(long screenId, String etag, boolean plain, ContextInternal context, Consumer<Playlist> onChange, Runnable onTimeout) {
      this.screenId = screenId;
      this.etag = etag;
      this.plain = plain;
      this.context = context;
      this.onChange = onChange;
      this.onTimeout = onTimeout;
    }

    /** Its timer fired: ends the wait once, on the request's own context. */
    void timeOut() {
      if (claim()) {
        context.runOnContext(v -> answer(null));
      }
    }

    /** True for the one caller that ends this wait. */
    boolean claim() {
      if (!done.compareAndSet(false, true)) {
        return false;
      }
      remove();
      return true;
    }

    /** Answers with the new playlist, or null for a timeout; the caller has claimed the wait. */
    void answer(Playlist changed) {
      if (changed == null) {
        onTimeout.run();
      } else {
        onChange.accept(changed);
      }
    }

    /** The client went away: forget it without answering. */
    public void cancel() {
      if (done.compareAndSet(false, true)) {
        remove();
        vertx.cancelTimer(timer);
      }
    }

    private void remove() {
      Set<Waiter> set = byScreen.get(screenId);
      if (set != null) {
        set.remove(this);
      }
      count.decrementAndGet();
    }
  }
}
