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
    long start = System.nanoTime();
    ctx.addEndHandler(ar -> {
      HttpServerRequest req = ctx.request();
      Principal p = Principal.of(ctx);
      LOG.info("{} {} {} {}ms {}B rid={} who={}",
          req.method(), PhoneMask.maskNumbersIn(req.path()), ctx.response().getStatusCode(),
          (System.nanoTime() - start) / 1_000_000, ctx.response().bytesWritten(),
          RequestIdHandler.requestId(ctx), p == null ? "-" : p.name() + "/" + p.role().wireName());
    });
    ctx.next();
  }
}
