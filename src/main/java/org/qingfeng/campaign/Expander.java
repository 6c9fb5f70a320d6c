package org.qingfeng.campaign;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a running campaign's audience into ledger rows and sms.outbound records, one keyset
 * page at a time. Each page's rows, checkpoint and exclusion counters commit in one
 * transaction; its records are produced after the commit.
 *
 * <p>Four things overlap so that neither Postgres nor Kafka waits for the other: the next page
 * is read while the current one is built and committed (one page read ahead); up to
 * {@code commits} page transactions are open at once, each inserting its rows while the one
 * before it commits; and a committed page's records are produced while later pages are read
 * and committed, with at most {@code window} pages of records unacknowledged. Expansion
 * reports done only when every record is acknowledged. A page committed but never produced
 * (crash) is produced again by the requeue pass, which the scheduler triggers on takeover;
 * duplicates are harmless because the sender claims.
 *
 * <p>Checkpoints still advance strictly in page order, so a crash can never leave a later page
 * committed without an earlier one: a page's transaction inserts its rows first and moves the
 * checkpoint (from its first to its last contact, only if it is still there) as its last
 * statement, sent only after the previous page's commit has succeeded. If the previous page
 * rolled back or its commit failed, this one rolls back too. (Waiting on the campaign row's
 * lock instead would not do: an update whose condition fails on the version it can see skips
 * the row without waiting for the newer one.)
 */
final class Expander {
  private static final Logger LOG = LoggerFactory.getLogger(Expander.class);

  private final CampaignStore campaigns;
  private final LedgerStore ledger;
  private final OutboundPublisher outbound;
  private final MessageRenderer renderer;
  private final ExpandBatch.PartsCache parts;
  private final Clock clock;
  private final int pageSize;
  private final int window;
  private final int commits;
  private final int frequencyCap;

  Expander(CampaignStore campaigns, LedgerStore ledger, OutboundPublisher outbound, MessageRenderer renderer,
      SmsEncoder encoder, Clock clock, int pageSize, int window, int commits, int frequencyCap) {
    this.campaigns = campaigns;
    this.ledger = ledger;
    this.outbound = outbound;
    this.renderer = renderer;
    this.parts = new ExpandBatch.PartsCache(encoder);
    this.clock = clock;
    this.pageSize = pageSize;
    this.window = window;
    this.commits = commits;
    this.frequencyCap = frequencyCap;
  }

  /** Requeue pass if flagged, then expansion from the checkpoint until done or the campaign stops running. */
  Future<Void> run(Campaign c) {
    return campaigns.takeRequeue(c.id)
        .compose(flagged -> flagged ? requeue(c.id) : Future.succeededFuture())
        .compose(v -> c.expandDone ? Future.succeededFuture()
            : renderer.prepare(c.content).compose(text -> expand(c, text)));
  }

  private Future<Void> requeue(long campaignId) {
    Promise<Void> done = Promise.promise();
    requeueFrom(campaignId, 0L, 0, new ArrayDeque<>(), done);
    return done.future();
  }

  /** Produces queued messages again, id page by id page, with the same bounded window as expansion. */
  private void requeueFrom(long campaignId, long after, int total, Deque<Future<Void>> inFlight, Promise<Void> done) {
    ledger.queuedAfter(campaignId, after, pageSize)
        .compose(ids -> admit(inFlight, outbound.publish(campaignId, ids)).map(ids))
        .onFailure(done::fail)
        .onSuccess(ids -> {
          if (ids.size() < pageSize) {
            drain(inFlight).onFailure(done::fail).onSuccess(v -> {
              if (total + ids.size() > 0) {
                LOG.info("campaign {}: {} queued messages produced again", campaignId, total + ids.size());
              }
              done.complete();
            });
          } else {
            requeueFrom(campaignId, ids.get(ids.size() - 1), total + ids.size(), inFlight, done);
          }
        });
  }

  private Future<Void> expand(Campaign c, MessageRenderer.ContactText text) {
    Promise<Void> done = Promise.promise();
    new Run(c, text, done).page(c.expandCursor, read(c, c.expandCursor));
    return done.future();
  }

  private Future<RowSet<Row>> read(Campaign c, long cursor) {
    return ledger.audiencePage(c, cursor, pageSize, clock.instant().minus(Duration.ofDays(1)));
  }

  /** Thrown inside a page transaction to roll it back when its checkpoint does not move. */
  private static final class CheckpointNotMoved extends RuntimeException {
    CheckpointNotMoved() {
      super("checkpoint not moved", null, false, false);
    }
  }

  /** One expansion of one campaign: its open page transactions (oldest first) and its produces in flight. */
  private final class Run {
    private final Campaign c;
    private final MessageRenderer.ContactText text;
    private final Promise<Void> done;
    /** Each open page's queued message ids, or null when its checkpoint did not move. */
    private final Deque<Future<List<Long>>> committing = new ArrayDeque<>();
    private final Deque<Future<Void>> inFlight = new ArrayDeque<>();
    /** Whether the newest page committed with its checkpoint; false when it rolled back or failed. */
    private Future<Boolean> lastCommitted = Future.succeededFuture(true);
    private boolean expanded;

    Run(Campaign c, MessageRenderer.ContactText text, Promise<Void> done) {
      this.c = c;
      this.text = text;
      this.done = done;
    }

    /** Builds the page after {@code cursor}, opens its transaction, and goes on while there is room and no stop. */
    void page(long cursor, Future<RowSet<Row>> rows) {
      rows.compose(page -> {
        ExpandBatch batch = ExpandBatch.of(c.id, page, cursor, text, parts, frequencyCap);
        boolean finished = batch.matched < pageSize;
        Future<RowSet<Row>> ahead = finished ? null : read(c, batch.last);
        committing.addLast(commit(cursor, batch, finished));
        if (finished) {
          return produceAll().map(go -> {
            expanded = go;
            return (Runnable) null;
          });
        }
        Runnable next = () -> page(batch.last, ahead);
        return committing.size() < commits ? Future.succeededFuture(next) : produceOldest().map(go -> go ? next : null);
      }).onComplete(next -> {
        if (next.succeeded() && next.result() != null) {
          next.result().run();
        } else {
          finish(next.failed() ? next.cause() : null);
        }
      });
    }

    /** Produces the oldest open page once it commits; false when its checkpoint did not move (expansion stops). */
    private Future<Boolean> produceOldest() {
      return committing.removeFirst().compose(queued -> {
        if (queued == null) {
          LOG.info("campaign {}: expansion stops (no longer running)", c.id);
          return Future.succeededFuture(false);
        }
        return admit(inFlight, outbound.publish(c.id, queued)).map(true);
      });
    }

    private Future<Boolean> produceAll() {
      return committing.isEmpty() ? Future.succeededFuture(true)
          : produceOldest().compose(go -> go ? produceAll() : Future.succeededFuture(false));
    }

    /**
     * Completes the run once no page transaction is open any more (a later one rolls back with
     * an earlier one that failed or stopped) and every produce is settled.
     */
    private void finish(Throwable failure) {
      List<Future<List<Long>>> open = List.copyOf(committing);
      committing.clear();
      Future.join(open).transform(v -> drain(inFlight)).onComplete(ar -> {
        Throwable cause = failure != null ? failure : ar.cause();
        if (cause != null) {
          done.fail(cause);
          return;
        }
        if (expanded) {
          LOG.info("campaign {}: expansion done", c.id);
        }
        done.complete();
      });
    }

    /**
     * One page's transaction: rows first, then, once the previous page has committed, the
     * checkpoint; rolled back when the checkpoint does not move or a row of the page is in the
     * ledger already (both mean another expander moved past it). The page's queued message ids,
     * or null when it rolled back for one of those reasons.
     */
    private Future<List<Long>> commit(long cursor, ExpandBatch b, boolean finished) {
      Future<Boolean> previous = lastCommitted;
      Instant now = clock.instant();
      Future<List<Long>> tx = ledger.pool().withTransaction(conn -> (b.size == 0 ? Future.succeededFuture(List.<Long>of())
              : LedgerStore.insertPage(conn, c.id, b.trimmed(b.contactIds), b.trimmed(b.phones), b.trimmed(b.texts),
                  b.trimmed(b.parts), now))
          .compose(queued -> previous
              .compose(ok -> !ok ? Future.succeededFuture(false) : CampaignStore.checkpoint(conn, c.id, cursor, b.last,
                  finished, b.matched, b.optedOut, b.invalid, b.capped, now))
              .compose(moved -> moved ? Future.succeededFuture(queued) : Future.failedFuture(new CheckpointNotMoved()))))
          .recover(err -> err instanceof CheckpointNotMoved || LedgerStore.pageExists(err) ? Future.succeededFuture(null)
              : Future.failedFuture(err));
      lastCommitted = tx.transform(ar -> Future.succeededFuture(ar.succeeded() && ar.result() != null));
      return tx;
    }
  }

  /** Adds a produce to the window; the future completes once the window has room again (oldest acknowledged). */
  private Future<Void> admit(Deque<Future<Void>> inFlight, Future<Void> produce) {
    inFlight.addLast(produce);
    if (inFlight.size() <= window) {
      // A failure must not wait for the window to fill to be noticed.
      Future<Void> firstFailed = inFlight.stream().filter(Future::failed).findFirst().orElse(null);
      return firstFailed != null ? firstFailed : Future.succeededFuture();
    }
    return inFlight.removeFirst();
  }

  private static Future<Void> drain(Deque<Future<Void>> inFlight) {
    List<Future<Void>> all = List.copyOf(inFlight);
    inFlight.clear();
    return Future.all(all).mapEmpty();
  }
}
