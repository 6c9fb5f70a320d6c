package org.qingfeng.campaign;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.encoding.SmsTextException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a running campaign's audience into ledger rows and sms.outbound records, one keyset
 * page at a time. Each page's rows, checkpoint and exclusion counters commit in one
 * transaction; its records are produced after the commit and acknowledged before the next
 * page. A page committed but never produced (crash) is produced again by the requeue pass,
 * which the scheduler triggers on takeover; duplicates are harmless because the sender claims.
 */
final class Expander {
  private static final Logger LOG = LoggerFactory.getLogger(Expander.class);

  private final CampaignStore campaigns;
  private final LedgerStore ledger;
  private final OutboundPublisher outbound;
  private final MessageRenderer renderer;
  private final SmsEncoder encoder;
  private final Clock clock;
  private final int pageSize;
  private final int frequencyCap;

  Expander(CampaignStore campaigns, LedgerStore ledger, OutboundPublisher outbound, MessageRenderer renderer,
      SmsEncoder encoder, Clock clock, int pageSize, int frequencyCap) {
    this.campaigns = campaigns;
    this.ledger = ledger;
    this.outbound = outbound;
    this.renderer = renderer;
    this.encoder = encoder;
    this.clock = clock;
    this.pageSize = pageSize;
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
    requeueFrom(campaignId, 0L, 0, done);
    return done.future();
  }

  private void requeueFrom(long campaignId, long after, int total, Promise<Void> done) {
    ledger.queuedAfter(campaignId, after, pageSize)
        .compose(ids -> outbound.publish(campaignId, ids).map(ids))
        .onFailure(done::fail)
        .onSuccess(ids -> {
          if (ids.size() < pageSize) {
            if (total + ids.size() > 0) {
              LOG.info("campaign {}: {} queued messages produced again", campaignId, total + ids.size());
            }
            done.complete();
          } else {
            requeueFrom(campaignId, ids.get(ids.size() - 1), total + ids.size(), done);
          }
        });
  }

  private Future<Void> expand(Campaign c, MessageRenderer.ContactText text) {
    Promise<Void> done = Promise.promise();
    page(c, text, c.expandCursor, done);
    return done.future();
  }

  private void page(Campaign c, MessageRenderer.ContactText text, long cursor, Promise<Void> done) {
    Instant now = clock.instant();
    ledger.audiencePage(c, cursor, pageSize, now.minus(Duration.ofDays(1)))
        .compose(rows -> commitPage(c, text, cursor, rows, now))
        .onFailure(done::fail)
        .onSuccess(next -> {
          if (next == null) {
            done.complete(); // finished, or the campaign stopped running
          } else {
            page(c, text, next, done);
          }
        });
  }

  /** Commits one page; returns the next cursor, or null when expansion ends here. */
  private Future<Long> commitPage(Campaign c, MessageRenderer.ContactText text, long cursor, RowSet<Row> rows, Instant now) {
    int n = rows.size();
    List<Long> contactIds = new ArrayList<>(n);
    List<String> phones = new ArrayList<>(n);
    List<String> texts = new ArrayList<>(n);
    List<Integer> parts = new ArrayList<>(n);
    int optedOut = 0;
    int invalid = 0;
    int capped = 0;
    long last = cursor;
    for (Row r : rows) {
      last = r.getLong("id");
      String phone = r.getString("phone");
      if (r.getBoolean("opted_out")) {
        optedOut++;
        continue;
      }
      if (frequencyCap > 0 && r.getInteger("recent") >= frequencyCap) {
        capped++;
        continue;
      }
      if (!Phones.validE164(phone)) {
        invalid++;
        continue;
      }
      String body;
      int count;
      try {
        body = text.render(new AudienceContact(last, phone, r.getString("name"), r.getString("unit"), r.getString("township")));
        count = encoder.encode(body, 0).parts();
      } catch (SmsTextException | RuntimeException e) {
        LOG.warn("campaign {}: no text for contact {} ({}): {}", c.id, last, Phones.mask(phone), e.getMessage());
        invalid++;
        continue;
      }
      contactIds.add(last);
      phones.add(phone);
      texts.add(body);
      parts.add(count);
    }
    boolean finished = n < pageSize;
    long to = last;
    int excludedOptOut = optedOut;
    int excludedInvalid = invalid;
    int excludedCapped = capped;
    return ledger.pool().withTransaction(conn -> CampaignStore.checkpoint(conn, c.id, cursor, to, finished, n,
            excludedOptOut, excludedInvalid, excludedCapped, now)
        .compose(moved -> !moved ? Future.<List<Long>>succeededFuture(null)
            : contactIds.isEmpty() ? Future.succeededFuture(List.<Long>of())
            : LedgerStore.insertPage(conn, c.id, contactIds.toArray(new Long[0]), phones.toArray(new String[0]),
                texts.toArray(new String[0]), parts.toArray(new Integer[0]), now)))
        .compose(queued -> {
          if (queued == null) {
            LOG.info("campaign {}: expansion stops at contact {} (no longer running)", c.id, cursor);
            return Future.succeededFuture(null);
          }
          return outbound.publish(c.id, queued).map(v -> {
            if (finished) {
              LOG.info("campaign {}: expansion done", c.id);
              return null;
            }
            return to;
          });
        });
  }
}
