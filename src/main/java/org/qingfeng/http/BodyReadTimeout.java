package org.qingfeng.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers 408 when a request body does not arrive in time, so a client that sends headers and
 * then stalls or dribbles cannot hold a connection and a handler for as long as it likes.
 * A buffered body (at most http.body-limit) must arrive whole within the timeout; a streamed
 * upload (up to http.upload-limit, possibly minutes long) must not stall for longer than it.
 * The connection is closed after the answer: the rest of the body is not worth waiting for.
 */
final class BodyReadTimeout {
  private BodyReadTimeout() {
  }

  /** The whole body within {@code timeoutMs}. */
  static void whole(RoutingContext ctx, long timeoutMs) {
    HttpServerRequest req = ctx.request();
    long timer = ctx.vertx().setTimer(timeoutMs, id -> {
      if (!req.isEnded() && !ctx.response().ended()) {
        refuse(ctx, "the request body did not arrive within " + timeoutMs + " ms (http.body-timeout-ms); "
            + req.bytesRead() + " bytes were received");
      }
    });
    ctx.addEndHandler(ar -> ctx.vertx().cancelTimer(timer));
  }

  /** No stall longer than {@code timeoutMs}, however long the whole upload takes. */
  static void progressing(RoutingContext ctx, long timeoutMs) {
    HttpServerRequest req = ctx.request();
    long[] lastBytes = {-1};
    // Sampled four times per timeout: a stall is answered between 1 and 1.25 timeouts after it began.
    // A body paused by the importer's own back-pressure also reads as a stall: the default
    // timeout is far above one batch's write time.
    long period = Math.max(1, timeoutMs / 4);
    long[] stalledFor = {0};
    long timer = ctx.vertx().setPeriodic(period, id -> {
      if (req.isEnded() || ctx.response().ended()) {
        ctx.vertx().cancelTimer(id);
        return;
      }
      long now = req.bytesRead();
      stalledFor[0] = now == lastBytes[0] ? stalledFor[0] + period : 0;
      lastBytes[0] = now;
      if (stalledFor[0] >= timeoutMs) {
        ctx.vertx().cancelTimer(id);
        refuse(ctx, "the request body stalled: no data for " + timeoutMs + " ms (http.body-timeout-ms); "
            + now + " bytes were received");
      }
    });
    ctx.addEndHandler(ar -> ctx.vertx().cancelTimer(timer));
  }

  private static void refuse(RoutingContext ctx, String detail) {
    ctx.response().putHeader("Connection", "close");
    ProblemResponse.send(ctx, 408, "Request timeout", detail, null)
        .onComplete(ar -> ctx.request().connection().close());
  }
}
