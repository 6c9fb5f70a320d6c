package org.qingfeng.led;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.qingfeng.led.LedSnapshot.Screen;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LED state of one instance: the current snapshot, compiled playlists, held long-polls and
 * coalesced last-seen times. Reloads are serialised and coalesced (parts asked for while one
 * runs are loaded together next); after each, long-polls whose playlist changed are answered.
 */
public final class LedRuntime {
  public static final Set<String> PARTS = Set.of("screens", "content", "alerts");
  private static final Logger LOG = LoggerFactory.getLogger(LedRuntime.class);

  private final Vertx vertx;
  private final LedStore store;
  private final PlaylistCompiler compiler;
  private final PollHub hub;
  private final LedSettings settings;
  private final AtomicReference<LedSnapshot> snapshot = new AtomicReference<>();
  private final Map<Long, Playlist> cache = new ConcurrentHashMap<>();
  private final Map<Long, Long> lastSeen = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private Set<String> pending = new HashSet<>();
  private List<Promise<Void>> pendingPromises = new ArrayList<>();
  private boolean running;
  /** A load changed what held polls may see and they were not woken yet (see runNext). */
  private boolean wakeOwed;
  private boolean wakeDeferred;
  private long expiryTimer = -1;

  public LedRuntime(Vertx vertx, LedStore store, LedSettings settings) {
    this.vertx = vertx;
    this.store = store;
    this.settings = settings;
    this.compiler = new PlaylistCompiler(settings.lookaheadH);
    this.hub = new PollHub(vertx, settings.maxWaiters);
  }

  public LedSettings settings() {
    return settings;
  }

  public PollHub hub() {
    return hub;
  }

  public LedSnapshot snapshot() {
    return snapshot.get();
  }

  public Screen screen(long id) {
    LedSnapshot s = snapshot.get();
    return s == null ? null : s.screens.byId.get(id);
  }

  /** The screen's playlist now, compiled at most once per snapshot generation and validity period. */
  public Playlist playlist(Screen screen, Instant now) {
    LedSnapshot snap = snapshot.get();
    Playlist cached = cache.get(screen.id);
    if (cached != null && cached.freshFor(snap.generation, now)) {
      return cached;
    }
    // A wake-up answers a screen's polls from every event loop at once: without the entry's lock
    // each loop compiled the same playlist. A newer generation compiled meanwhile is kept, never
    // replaced by one from this older snapshot.
    return cache.compute(screen.id, (id, old) -> old != null && old.freshFor(snap.generation, now)
        ? old : compiler.compile(snap, screen, now, old));
  }

  /** Loads the given parts (all of them first time); completes once a load begun after this call is applied. */
  public Future<Void> refresh(Set<String> parts) {
    Promise<Void> p = Promise.promise();
    boolean start;
    synchronized (lock) {
      pending.addAll(parts);
      pendingPromises.add(p);
      start = !running;
      running = true;
    }
    if (start) {
      runNext();
    }
    return p.future();
  }

  private void runNext() {
    Set<String> parts;
    List<Promise<Void>> promises;
    synchronized (lock) {
      if (pending.isEmpty()) {
        running = false;
        return;
      }
      parts = pending;
      promises = pendingPromises;
      pending = new HashSet<>();
      pendingPromises = new ArrayList<>();
    }
    load(parts).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("LED {} reload failed: {}", parts, ar.cause().toString());
      }
      promises.forEach(pr -> pr.handle(ar));
      // After the callers' continuations: an alert's 201 is then queued on its event loop
      // before the wake-up's task, not behind thousands of answers. When another load is already
      // asked for (an alert's NOTIFY starts a load, and its POST asks for one more), the wake-up
      // waits for that one, once: its result is newer, and the POST's answer then comes first.
      boolean wake;
      synchronized (lock) {
        wakeOwed |= ar.succeeded();
        wake = wakeOwed && (pending.isEmpty() || wakeDeferred);
        wakeDeferred = wakeOwed && !wake;
        if (wake) {
          wakeOwed = false;
        }
      }
      if (wake) {
        wakeWaiters();
      }
      runNext();
    });
  }

  private Future<Void> load(Set<String> parts) {
    LedSnapshot old = snapshot.get();
    boolean all = old == null;
    Future<LedSnapshot.Screens> screens = all || parts.contains("screens") ? store.loadScreens() : Future.succeededFuture(old.screens);
    Future<LedSnapshot.Content> content = all || parts.contains("content") ? store.loadContent() : Future.succeededFuture(old.content);
    Future<LedSnapshot.Alerts> alerts = all || parts.contains("alerts") ? store.loadAlerts() : Future.succeededFuture(old.alerts);
    return Future.all(screens, content, alerts).map(v -> {
      LedSnapshot.Alerts loadedAlerts = alerts.result();
      if (!all && loadedAlerts.sameAs(old.alerts)) {
        // An alert's POST reloads the alerts and so does the NOTIFY its own transaction sent:
        // the second load finds what the first did. Keeping the old part keeps every compiled
        // playlist valid instead of compiling the fleet again while the fan-out is being written.
        loadedAlerts = old.alerts;
      }
      if (!all && screens.result() == old.screens && content.result() == old.content && loadedAlerts == old.alerts) {
        // Nothing changed, but time may have (an expiry timer's reload): held polls whose
        // playlist ran out are answered (after this load); the others cost a cache look-up each.
        return null;
      }
      LedSnapshot next = new LedSnapshot(screens.result(), content.result(), loadedAlerts, all ? 1 : old.generation + 1);
      snapshot.set(next);
      cache.keySet().removeIf(id -> !next.screens.byId.containsKey(id));
      scheduleExpiry(next);
      return null;
    });
  }

  /** Answers held polls whose playlist changed (content, alerts, a passing expiry or midnight). */
  public void wakeWaiters() {
    Instant now = Instant.now();
    long t0 = System.nanoTime();
    hub.wake(id -> {
      Screen s = screen(id);
      return s == null || !s.active() ? null : playlist(s, now);
    }, r -> {
      if (r.answered() >= 100) {
        LOG.info("answered {} long-polls with changed playlists in {} ms ({} event loops; longest queue wait {} ms, "
            + "longest compile-and-write {} ms)", r.answered(), (System.nanoTime() - t0) / 1_000_000, r.loops(),
            r.maxQueuedNs() / 1_000_000, r.maxRunNs() / 1_000_000);
      }
    });
  }

  /** When the earliest live alert expires, playlists change: reload alerts then. */
  private void scheduleExpiry(LedSnapshot snap) {
    Instant next = snap.alerts.nextExpiryAfter(Instant.now());
    synchronized (lock) {
      if (expiryTimer >= 0) {
        vertx.cancelTimer(expiryTimer);
        expiryTimer = -1;
      }
      if (next != null) {
        long delay = Math.max(1, next.toEpochMilli() - System.currentTimeMillis() + 5);
        expiryTimer = vertx.setTimer(delay, t -> refresh(Set.of("alerts")));
      }
    }
  }

  // ---------------------------------------------------------------- last seen (coalesced)

  /**
   * Notes a poll. Within a second of the last note nothing is written: a screen's connections
   * poll from several event loops, and a write to the same entry from each on every poll made
   * them contend for it, for a precision nobody reads (offline is judged in poll intervals).
   */
  public void seen(long screenId) {
    long now = System.currentTimeMillis();
    Long before = lastSeen.get(screenId);
    if (before == null || now - before >= 1_000) {
      lastSeen.put(screenId, now);
    }
  }

  /** The time this instance saw the screen and has not yet written to Postgres (or is writing now), or null. */
  public Long unflushedSeen(long screenId) {
    return lastSeen.get(screenId);
  }

  /**
   * The coalesced last-seen times for one flush. They stay in memory until {@link #flushed}:
   * health reads Postgres and then this map, and a time taken out before Postgres had it made a
   * screen that had just polled look offline while the flush was in flight.
   */
  public Map<Long, Long> seenToFlush() {
    // A held long-poll is a screen connected now. Noted only when a poll began, a screen waiting
    // longer than its offline limit (a 60 s wait, a 5 s poll interval) looked offline meanwhile.
    hub.forEachHeldScreen(this::seen);
    return new java.util.HashMap<>(lastSeen);
  }

  /** Forgets times now written to Postgres; a newer touch meanwhile stays for the next flush. */
  public void flushed(Map<Long, Long> times) {
    times.forEach((id, t) -> lastSeen.remove(id, t));
  }
}
