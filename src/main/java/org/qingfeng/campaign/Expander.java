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
 * transaction, in page order; its records are produced after the commit.
 *
 * <p>Three things overlap so that neither Postgres nor Kafka waits for the other: the next
 * page is read while the current one commits (one page read ahead), and a committed page's
 * records are produced while the following pages are read and committed, with at most
 * {@code window} pages of records unacknowledged. Expansion reports done only when every
 * record is acknowledged. A page committed but never produced (crash) is produced again by
 * the requeue pass, which the scheduler triggers on takeover; duplicates are harmless because
 * the sender claims.
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
  private final int frequencyCap;

  Expander(CampaignStore campaigns, LedgerStore ledger, OutboundPublisher outbound, MessageRenderer renderer,
      SmsEncoder encoder, Clock clock, int pageSize, int window, int frequencyCap) {
    this.campaigns = campaigns;
    this.ledger = ledger;
    this.outbound = outbound;
    this.renderer = renderer;
    this.parts = new ExpandBatch.PartsCache(encoder);
    this.clock = clock;
    this.pageSize = pageSize;
    this.window = window;
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
    page(c, text, c.expandCursor, read(c, c.expandCursor), new ArrayDeque<>(), done);
    return done.future();
  }

  private Future<RowSet<Row>> read(Campaign c, long cursor) {
    return ledger.audiencePage(c, cursor, pageSize, clock.instant().minus(Duration.ofDays(1)));
  }

  /** A page read ahead: where it starts and its rows. */
  private static final class Next {
    final long cursor;
    final Future<RowSet<Row>> rows;

    Next(long cursor, Future<RowSet<Row>> rows) {
      this.cursor = cursor;
      this.rows = rows;
    }
  }

  private void page(Campaign c, MessageRenderer.ContactText text, long cursor, Future<RowSet<Row>> rows,
      Deque<Future<Void>> inFlight, Promise<Void> done) {
    rows.compose(page -> {
      ExpandBatch batch = ExpandBatch.of(c.id, page, cursor, text, parts, frequencyCap);
      boolean finished = batch.matched < pageSize;
      Future<RowSet<Row>> ahead = finished ? null : read(c, batch.last);
      return commit(c, cursor, batch, finished).compose(queued -> {
        if (queued == null) {
          LOG.info("campaign {}: expansion stops at contact {} (no longer running)", c.id, cursor);
          return drain(inFlight).map((Next) null);
        }
        Future<Void> admitted = admit(inFlight, outbound.publish(c.id, queued));
        if (finished) {
          return admitted.compose(v -> drain(inFlight)).map(v -> {
            LOG.info("campaign {}: expansion done", c.id);
            return (Next) null;
          });
        }
        return admitted.map(v -> new Next(batch.last, ahead));
      });
    }).onFailure(done::fail).onSuccess(next -> {
      if (next == null) {
        done.complete(); // finished, or the campaign stopped running
      } else {
        page(c, text, next.cursor, next.rows, inFlight, done);
      }
    });
  }

  /** Commits one page's rows with its checkpoint; the queued message ids to produce, or null when expansion must stop. */
  private Future<List<Long>> commit(Campaign c, long cursor, ExpandBatch b, boolean finished) {
    Instant now = clock.instant();
    return ledger.pool().withTransaction(conn -> CampaignStore.checkpoint(conn, c.id, cursor, b.last, finished, b.matched,
            b.optedOut, b.invalid, b.capped, now)
        .compose(moved -> !moved ? Future.<List<Long>>succeededFuture(null)
            : b.size == 0 ? Future.succeededFuture(List.<Long>of())
            : LedgerStore.insertPage(conn, c.id, b.trimmed(b.contactIds), b.trimmed(b.phones),
                b.trimmed(b.texts), b.trimmed(b.parts), now)));
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
