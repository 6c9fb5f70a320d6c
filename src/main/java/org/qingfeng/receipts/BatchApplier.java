package org.qingfeng.receipts;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.qingfeng.sms.events.SmsEvent;

/**
 * Applies a batch of events in ONE Postgres transaction: log (idempotent by event id), lock the
 * messages concerned, upsert parts, park receipts, match parked receipts to parts, derive message
 * status, and update the statistics by each changed message's delta. Events already in the log
 * change nothing, so a replay leaves the database as it was.
 */
public final class BatchApplier {
  /** What a batch did. */
  public record Result(int events, int applied, int duplicates, int matched, int messagesChanged) {
    static final Result EMPTY = new Result(0, 0, 0, 0, 0);
  }

  private final ReceiptStore store;
  private final Clock clock;
  private final long unknownAfterMs;
  /** The last batch had events applied before: expect more (log them with ON CONFLICT). */
  private volatile boolean replaying;

  public BatchApplier(ReceiptStore store, Clock clock, long unknownAfterMs) {
    this.store = store;
    this.clock = clock;
    this.unknownAfterMs = unknownAfterMs;
  }

  public Future<Result> apply(List<SmsEvent> events) {
    List<SmsEvent> unique = dedupe(events);
    if (unique.isEmpty()) {
      return Future.succeededFuture(Result.EMPTY);
    }
    if (replaying) {
      return apply(events, unique).onSuccess(r -> replaying = r.duplicates() > 0);
    }
    // Usually no event of a batch was applied before: log them with a plain insert. If one was
    // (a redelivery, a replay), that insert fails on the event log's key, nothing of the batch is
    // committed, and the batch is applied again the careful way, as are the next ones until a
    // batch has no duplicate.
    Set<String> all = new HashSet<>();
    unique.forEach(e -> all.add(e.eventId));
    return PipelinedTransaction.run(store.pool(), c -> {
      // Nothing waits on the insert: the statements after it go out with it (pipelined); if it
      // fails, they fail too, and the insert's failure is the one reported.
      Future<Void> logged = store.logNewEvents(c, unique);
      Future<Result> rest = applyFresh(c, events, unique, all);
      return Future.join(logged, rest).transform(ar -> logged.failed() ? Future.<Result>failedFuture(logged.cause()) : rest);
    }).recover(err -> {
      if (err instanceof PgException pg && "23505".equals(pg.getSqlState())
          && ReceiptStore.EVENT_LOG_KEY.equals(pg.getConstraint())) {
        replaying = true;
        return apply(events, unique);
      }
      return Future.failedFuture(err);
    });
  }

  private Future<Result> apply(List<SmsEvent> events, List<SmsEvent> unique) {
    return PipelinedTransaction.run(store.pool(), c -> store.logEvents(c, unique).compose(fresh -> applyFresh(c, events, unique, fresh)));
  }

  /** The rest of a batch's transaction, once its events are in the log ({@code fresh}: those logged just now). */
  private Future<Result> applyFresh(SqlConnection c, List<SmsEvent> events, List<SmsEvent> unique, Set<String> fresh) {
    List<SmsEvent> submits = new ArrayList<>();
    List<SmsEvent> receipts = new ArrayList<>();
    List<SmsEvent> anonymous = new ArrayList<>();
    Set<String> messages = new TreeSet<>();
    for (SmsEvent e : unique) {
      if (!fresh.contains(e.eventId)) {
        continue;
      }
      (SmsEvent.TYPE_SUBMIT_RESULT.equals(e.type) ? submits : receipts).add(e);
      if (e.messageId != null) {
        messages.add(e.messageId);
      } else {
        anonymous.add(e);
      }
    }
    int duplicates = events.size() - fresh.size();
    if (fresh.isEmpty()) {
      return Future.succeededFuture(new Result(events.size(), 0, duplicates, 0, 0));
    }
    Future<ReceiptStore.KnownParts> known = anonymous.isEmpty()
        ? Future.succeededFuture(ReceiptStore.KnownParts.NONE) : store.partsOf(c, anonymous);
    return known.compose(found -> {
      messages.addAll(found.messageIds());
      return applyLocked(c, messages, submits, receipts, found.smscKeys())
          .map(r -> new Result(events.size(), fresh.size(), duplicates, r.matched(), r.messagesChanged()));
    });
  }

  /** For sweeps: matches parked receipts of these messages and re-derives their status (e.g. unknown). */
  public Future<Result> recompute(Collection<String> messageIds) {
    if (messageIds.isEmpty()) {
      return Future.succeededFuture(Result.EMPTY);
    }
    Set<String> ids = new TreeSet<>(messageIds);
    return PipelinedTransaction.run(store.pool(), c -> applyLocked(c, ids, List.of(), List.of(), Set.of()));
  }

  /** {@code knownKeys}: SMSC keys of anonymous receipts under which parts were submitted before this batch. */
  private Future<Result> applyLocked(SqlConnection c, Set<String> messages, List<SmsEvent> submits,
      List<SmsEvent> receipts, Set<String> knownKeys) {
    long unknownCutoff = clock.millis() - unknownAfterMs;
    Map<String, Long> campaigns = new HashMap<>();
    for (SmsEvent s : submits) {
      if (s.campaignId != null) {
        campaigns.putIfAbsent(s.messageId, s.campaignId);
      }
    }
    if (messages.isEmpty()) {
      return store.park(c, receipts).map(v -> new Result(receipts.size(), receipts.size(), 0, 0, 0));
    }
    // Pipelined: the statements go out together and Postgres runs them in this order on the
    // connection, so the lock is held before every read and change that follows. Match and
    // recompute go out once the parts are written: the parts created with their receipt tell which
    // receipts match need not look up again.
    String[] ids = messages.toArray(new String[0]); // sorted: the set is a TreeSet
    Future<Void> locked = store.lock(c, ids);
    Map<String, SmsEvent> receiptFor = bestReceipts(receipts);
    List<SmsEvent> parts = bestSubmits(submits);
    Future<Set<String>> created = store.upsertParts(c, parts,
        s -> s.smscId == null ? null : receiptFor.get(smscKey(s.channel, s.smscId)));
    return Future.all(locked, created).compose(v -> {
      List<SmsEvent> unheld = notHeldByCreatedParts(receipts, receiptFor, parts, created.result(), knownKeys);
      int held = receipts.size() - unheld.size();
      Future<Integer> matched = store.match(c, ids, unheld);
      Future<List<ReceiptStore.Change>> changed = store.recompute(c, ids, campaigns, unknownCutoff);
      return Future.all(matched, changed).compose(w -> {
        StatsDelta delta = new StatsDelta();
        for (ReceiptStore.Change change : changed.result()) {
          delta.transition(change.before(), change.after());
        }
        int n = submits.size() + receipts.size();
        return ReceiptStatsStore.add(c, delta)
            .map(x -> new Result(n, n, 0, matched.result() + held, changed.result().size()));
      });
    });
  }

  /**
   * The receipts that {@link ReceiptStore#match} must still see: all but those whose SMSC id is
   * only that of parts this batch created, each with the batch's best receipt for that id (see
   * {@link ReceiptStore#upsertParts}), and that name no other message. Such a receipt is that best
   * one, which the part holds, or ranks below it (ties are never written at creation), so match
   * would only have found its part by the SMSC-id index, once per receipt, to change nothing.
   * A part that existed before, a tie, an SMSC id shared with a part not created here (as far as
   * the batch knows: {@code knownKeys}, the SMSC keys of its anonymous receipts' earlier parts), or
   * a receipt naming another message keeps the receipt in match, which decides as before.
   */
  static List<SmsEvent> notHeldByCreatedParts(List<SmsEvent> receipts, Map<String, SmsEvent> receiptFor,
      List<SmsEvent> parts, Set<String> created, Set<String> knownKeys) {
    if (created.isEmpty()) {
      return receipts;
    }
    Map<String, String> messageOf = new HashMap<>(); // SMSC key -> the message of the part(s) created with it
    Set<String> open = new HashSet<>(knownKeys); // SMSC keys match must still look up
    for (SmsEvent s : parts) {
      if (s.smscId == null) {
        continue;
      }
      String key = smscKey(s.channel, s.smscId);
      String was = messageOf.putIfAbsent(key, s.messageId);
      if (!receiptFor.containsKey(key) || !created.contains(ReceiptStore.partKey(s.messageId, s.partIndex))
          || (was != null && !was.equals(s.messageId))) {
        open.add(key);
      }
    }
    List<SmsEvent> out = new ArrayList<>();
    for (SmsEvent r : receipts) {
      String key = smscKey(r.channel, r.smscId);
      String message = open.contains(key) ? null : messageOf.get(key);
      if (message == null || (r.messageId != null && !r.messageId.equals(message))) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * One copy per event id (receipt states lower-cased), in event-id order (so concurrent sinks insert in one order). Of two
   * copies of an early receipt, the one that names our message is kept.
   */
  static List<SmsEvent> dedupe(List<SmsEvent> events) {
    Map<String, SmsEvent> byId = new LinkedHashMap<>();
    for (SmsEvent e : events) {
      if (SmsEvent.TYPE_RECEIPT.equals(e.type) && e.status != null) {
        e.status = e.status.toLowerCase(java.util.Locale.ROOT); // receipt states are stored lower-case
      }
      byId.merge(e.eventId, e, (a, b) -> a.messageId != null ? a : b);
    }
    List<SmsEvent> out = new ArrayList<>(byId.values());
    out.sort(BY_EVENT_ID);
    return out;
  }

  /**
   * One submit result per part, as the database keeps it: submitted beats rejected beats
   * outcome_unknown, then the later answer, then the larger event id (order-independent).
   */
  static List<SmsEvent> bestSubmits(List<SmsEvent> submits) {
    Map<String, SmsEvent> best = new HashMap<>();
    for (SmsEvent s : submits) {
      best.merge(s.messageId + "#" + s.partIndex, s, (a, b) -> SUBMIT_ORDER.compare(a, b) >= 0 ? a : b);
    }
    return new ArrayList<>(best.values());
  }

  /**
   * The batch's best receipt per (channel, SMSC id), ranked as {@link ReceiptStore#match} ranks
   * them: a final state beats ENROUTE, then the later receipt. A tie on both is left out (match
   * breaks it by event id, in SQL), so whatever is given here is exactly what match would pick
   * among these receipts.
   */
  static Map<String, SmsEvent> bestReceipts(List<SmsEvent> receipts) {
    Map<String, SmsEvent> best = new HashMap<>();
    Set<String> tied = new HashSet<>();
    for (SmsEvent r : receipts) {
      String key = smscKey(r.channel, r.smscId);
      SmsEvent other = best.get(key);
      int cmp = other == null ? 1 : RECEIPT_ORDER.compare(r, other);
      if (cmp > 0) {
        best.put(key, r);
        tied.remove(key);
      } else if (cmp == 0) {
        tied.add(key);
      }
    }
    best.keySet().removeAll(tied);
    return best;
  }

  static String smscKey(String channel, String smscId) {
    return channel + '\u0000' + smscId;
  }

  // Comparators of their own rather than Comparator.comparing chains: see ReceiptStore.BY_PART.
  private static final Comparator<SmsEvent> BY_EVENT_ID = (a, b) -> a.eventId.compareTo(b.eventId);

  private static final Comparator<SmsEvent> RECEIPT_ORDER = (a, b) -> {
    int c = Boolean.compare(!"enroute".equals(a.status), !"enroute".equals(b.status));
    return c != 0 ? c : Long.compare(a.receivedAt, b.receivedAt);
  };

  static int rank(String submitStatus) {
    return SmsEvent.STATUS_SUBMITTED.equals(submitStatus) ? 3 : SmsEvent.STATUS_REJECTED.equals(submitStatus) ? 2 : 1;
  }

  private static final Comparator<SmsEvent> SUBMIT_ORDER = (a, b) -> {
    int c = Integer.compare(rank(a.status), rank(b.status));
    if (c == 0) {
      c = Long.compare(a.receivedAt, b.receivedAt);
    }
    return c != 0 ? c : a.eventId.compareTo(b.eventId);
  };
}
