package org.qingfeng.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Request bodies that a route streams itself. The request is paused as soon as it is routed:
 * guards run asynchronously (token lookup) and Vert.x drops body data that arrives while no
 * handler is set. If the response ends before the body was read (a refusal: 401, 413, 415,
 * 422), the rest is drained up to {@link #DRAIN_LIMIT} bytes, so the client sees the answer
 * instead of a reset, and the connection is closed when more arrives.
 */
final class StreamedBodies {
  static final long DRAIN_LIMIT = 1024 * 1024;

  private StreamedBodies() {
  }

  static void prepare(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    ctx.addEndHandler(ar -> {
      if (req.isEnded()) {
        return;
      }
      long[] drained = {0};
      req.handler(b -> {
        drained[0] += b.length();
        if (drained[0] > DRAIN_LIMIT) {
          req.connection().close();
        }
      });
      req.endHandler(v -> { });
      req.exceptionHandler(e -> { });
      req.resume();
    });
  }
}
