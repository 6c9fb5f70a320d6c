package org.qingfeng.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.qingfeng.auth.Principal;
import org.qingfeng.sms.PhoneMask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request with its id, status, duration and caller. Paths are logged without
 * query strings: queries may carry phone numbers or secrets; numbers inside the path (e.g.
 * DELETE /api/v1/opt-outs/+8613812345678) are masked.
 */
public final class AccessLogHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("qingfeng.access");

  @Override
  public void handle(RoutingContext ctx) {
    if (!LOG.isInfoEnabled()) {
      ctx.next();
      return;
    }
    long start = System.nanoTime();
    ctx.addEndHandler(ar -> {
      Principal p = Principal.of(ctx);
      log(ctx.request(), ctx.response().getStatusCode(), start, ctx.response().bytesWritten(),
          RequestIdHandler.requestId(ctx), p == null ? "-" : p.name() + "/" + p.role().wireName());
    });
    ctx.next();
  }

  public static boolean enabled() {
    return LOG.isInfoEnabled();
  }

  /** One access line; also for requests answered before the router. */
  public static void log(HttpServerRequest req, int status, long startNanos, long bytes, String requestId, String who) {
    LOG.info("{} {} {} {}ms {}B rid={} who={}", req.method(), PhoneMask.maskNumbersIn(req.path()), status,
        (System.nanoTime() - startNanos) / 1_000_000, bytes, requestId, who);
  }
}
