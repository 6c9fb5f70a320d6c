package org.qingfeng.receipts;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import org.qingfeng.auth.Principal;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.http.Problem;
import org.qingfeng.sms.PhoneMask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery statistics and the per-message outcome export. Statistics come from counters kept by
 * the sink; the CSV is streamed from one cursor page by page, each page read only after the previous
 * one left the write queue, so a slow client holds one page in memory, not the campaign.
 */
public final class ReceiptRoutes {
  private static final Logger log = LoggerFactory.getLogger(ReceiptRoutes.class);
  static final int CSV_PAGE = 1000;
  /** CSV exports streaming at once (each holds a database connection). */
  static final int MAX_EXPORTS = 2;
  static final long CSV_STALL_MS = 60_000;
  static final String CSV_HEADER = "message_id,channel,phone,parts,status,error_code,submitted_at,final_at,done_at\n";
  private final ReceiptQueries queries;
  private final RecipientDirectory recipients;
  private final Semaphore exports;

  /**
   * @param exports the export slots ({@link #exportSlots()}): one semaphore for the routes of every
   *     HTTP verticle instance
   */
  public ReceiptRoutes(ReceiptQueries queries, RecipientDirectory recipients, Semaphore exports) {
    this.queries = queries;
    this.recipients = recipients;
    this.exports = exports;
  }

  /** {@link #MAX_EXPORTS} slots, to share between the routes of all HTTP verticle instances. */
  public static Semaphore exportSlots() {
    return new Semaphore(MAX_EXPORTS);
  }

  public void mount(Router api) {
    api.get("/campaigns/:id/stats").handler(RoleGuard.anyRole()).handler(this::campaignStats);
    api.get("/stats/channels").handler(RoleGuard.anyRole()).handler(this::channelStats);
    api.get("/campaigns/:id/messages.csv").handler(RoleGuard.anyRole()).handler(this::messagesCsv);
  }

  private void campaignStats(RoutingContext ctx) {
    long id = campaignId(ctx);
    int minutes = intParam(ctx, "minutes", 1440, 0, 10_080);
    queries.stats(id, minutes)
        .onSuccess(s -> ctx.json(StatsJson.campaign(id, s)))
        .onFailure(e -> ctx.fail(unavailable(e)));
  }

  private void channelStats(RoutingContext ctx) {
    queries.stats(null, 0)
        .onSuccess(s -> ctx.json(StatsJson.channelsView(s)))
        .onFailure(e -> ctx.fail(unavailable(e)));
  }

  private void messagesCsv(RoutingContext ctx) {
    long id = campaignId(ctx);
    Principal who = Principal.of(ctx);
    boolean fullNumbers = who != null && (who.role() == Role.ADMIN || who.role() == Role.OPERATOR);
    // Each export holds a connection of the shared pool while it streams: a bounded number at once.
    if (!exports.tryAcquire()) {
      ctx.response().putHeader("Retry-After", "10");
      ctx.fail(Problem.unavailable(MAX_EXPORTS + " CSV exports are running; retry when one has finished"));
      return;
    }
    queries.openMessages(id).onFailure(e -> {
      exports.release();
      ctx.fail(unavailable(e));
    }).onSuccess(cursor -> {
      // The first page is read before the status line goes out, so a database failure is still a 503.
      Future<Void> done = page(cursor).onFailure(e -> ctx.fail(unavailable(e))).compose(first -> {
        HttpServerResponse resp = ctx.response()
            .setChunked(true)
            .putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"campaign-" + id + "-messages.csv\"");
        return write(ctx, Buffer.buffer(CSV_HEADER))
            .compose(v -> stream(ctx, cursor, first, fullNumbers))
            .compose(v -> resp.end())
            .onFailure(e -> {
              log.warn("CSV export of campaign {} aborted: {}", id, e.toString());
              resp.reset();
            });
      });
      done.onComplete(ar -> cursor.close().onComplete(x -> exports.release()));
    });
  }

  private record Page(List<ReceiptQueries.MessageRow> rows, Map<String, String> phones) {
  }

  private Future<Page> page(ReceiptQueries.MessageCursor cursor) {
    return cursor.read(CSV_PAGE).compose(rows -> recipients
        .phones(rows.stream().map(ReceiptQueries.MessageRow::messageId).toList())
        .map(phones -> new Page(rows, phones)));
  }

  private Future<Void> stream(RoutingContext ctx, ReceiptQueries.MessageCursor cursor, Page page, boolean fullNumbers) {
    if (page.rows().isEmpty()) {
      return Future.succeededFuture();
    }
    Buffer chunk = Buffer.buffer(page.rows().size() * 96);
    for (ReceiptQueries.MessageRow r : page.rows()) {
      String phone = page.phones().get(r.messageId());
      chunk.appendString(csv(r.messageId())).appendString(",").appendString(csv(r.channel())).appendString(",")
          .appendString(phone == null ? "" : csv(fullNumbers ? phone : PhoneMask.mask(phone))).appendString(",")
          .appendString(Integer.toString(r.parts())).appendString(",").appendString(r.status()).appendString(",")
          .appendString(csv(r.errorCode())).appendString(",").appendString(time(r.submittedAt())).appendString(",")
          .appendString(time(r.finalAt())).appendString(",").appendString(time(r.doneAt())).appendString("\n");
    }
    Future<Void> written = write(ctx, chunk);
    if (page.rows().size() < CSV_PAGE) {
      return written;
    }
    return written.compose(v -> page(cursor)).compose(next -> stream(ctx, cursor, next, fullNumbers));
  }

  /**
   * Writes, then waits for the write queue to drain if it is full (back-pressure from the client);
   * a client that reads nothing for {@link #CSV_STALL_MS} loses the export, and its connection goes
   * back to the pool.
   */
  private static Future<Void> write(RoutingContext ctx, Buffer data) {
    HttpServerResponse resp = ctx.response();
    Future<Void> written = resp.write(data);
    if (!resp.writeQueueFull()) {
      return written;
    }
    Promise<Void> drained = Promise.promise();
    long stall = ctx.vertx().setTimer(CSV_STALL_MS,
        t -> drained.tryFail(new TimeoutException("the client read nothing for " + CSV_STALL_MS + " ms")));
    resp.drainHandler(v -> drained.tryComplete());
    resp.exceptionHandler(drained::tryFail);
    resp.closeHandler(v -> drained.tryFail("the client closed the connection"));
    return written.compose(v -> drained.future()).onComplete(ar -> ctx.vertx().cancelTimer(stall));
  }

  static String csv(String value) {
    if (value == null) {
      return "";
    }
    String v = value;
    if (!v.isEmpty() && (v.charAt(0) == '=' || v.charAt(0) == '@')) {
      v = "'" + v; // a spreadsheet must not run it as a formula
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }

  private static String time(Long millis) {
    return millis == null ? "" : Instant.ofEpochMilli(millis).toString();
  }

  private static long campaignId(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    if (raw == null || !raw.matches("[1-9][0-9]{0,17}")) {
      throw Problem.badRequest("campaign id must be a positive integer, was '" + raw + "'");
    }
    return Long.parseLong(raw);
  }

  private static int intParam(RoutingContext ctx, String name, int dflt, int min, int max) {
    String raw = ctx.queryParams().get(name);
    if (raw == null) {
      return dflt;
    }
    try {
      int v = Integer.parseInt(raw);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the problem
    }
    throw Problem.badRequest("'" + name + "' must be a whole number within " + min + ".." + max);
  }

  private static Throwable unavailable(Throwable e) {
    return e instanceof Problem ? e : Problem.unavailable("delivery statistics are unavailable: " + e.getMessage());
  }
}
