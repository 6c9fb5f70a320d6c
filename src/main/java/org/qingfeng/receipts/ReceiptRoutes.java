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
import org.qingfeng.auth.Principal;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.http.Problem;
import org.qingfeng.sms.PhoneMask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery statistics and the per-message outcome export. Statistics come from counters kept by
 * the sink; the CSV is streamed page by page (keyset), each page written only after the previous
 * one left the write queue, so a slow client holds one page in memory, not the campaign.
 */
public final class ReceiptRoutes {
  private static final Logger log = LoggerFactory.getLogger(ReceiptRoutes.class);
  static final int CSV_PAGE = 1000;
  static final String CSV_HEADER = "message_id,channel,phone,parts,status,error_code,submitted_at,final_at,done_at\n";
  private final ReceiptQueries queries;
  private final RecipientDirectory recipients;

  public ReceiptRoutes(ReceiptQueries queries, RecipientDirectory recipients) {
    this.queries = queries;
    this.recipients = recipients;
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
    // The first page is read before the status line goes out, so a database failure is still a 503.
    page(id, "").onFailure(e -> ctx.fail(unavailable(e))).onSuccess(first -> {
      HttpServerResponse resp = ctx.response()
          .setChunked(true)
          .putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"campaign-" + id + "-messages.csv\"");
      write(resp, Buffer.buffer(CSV_HEADER))
          .compose(v -> stream(resp, id, first, fullNumbers))
          .onSuccess(v -> resp.end())
          .onFailure(e -> {
            log.warn("CSV export of campaign {} aborted: {}", id, e.toString());
            resp.reset();
          });
    });
  }

  private record Page(List<ReceiptQueries.MessageRow> rows, Map<String, String> phones) {
  }

  private Future<Page> page(long campaignId, String after) {
    return queries.messages(campaignId, after, CSV_PAGE).compose(rows -> recipients
        .phones(rows.stream().map(ReceiptQueries.MessageRow::messageId).toList())
        .map(phones -> new Page(rows, phones)));
  }

  private Future<Void> stream(HttpServerResponse resp, long id, Page page, boolean fullNumbers) {
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
    Future<Void> written = write(resp, chunk);
    if (page.rows().size() < CSV_PAGE) {
      return written;
    }
    String last = page.rows().get(page.rows().size() - 1).messageId();
    return written.compose(v -> page(id, last)).compose(next -> stream(resp, id, next, fullNumbers));
  }

  /** Writes, then waits for the write queue to drain if it is full (back-pressure from the client). */
  private static Future<Void> write(HttpServerResponse resp, Buffer data) {
    Future<Void> written = resp.write(data);
    if (!resp.writeQueueFull()) {
      return written;
    }
    Promise<Void> drained = Promise.promise();
    resp.drainHandler(v -> drained.tryComplete());
    resp.exceptionHandler(drained::tryFail);
    return written.compose(v -> drained.future());
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
