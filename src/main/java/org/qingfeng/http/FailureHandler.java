package org.qingfeng.http;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.qingfeng.db.PoolSaturation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one mapping from any failure to an RFC 9457 response. */
public final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
  private static final String RETRY_AFTER_SECONDS = "1";

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof Problem) {
      ProblemResponse.send(ctx, (Problem) failure);
      return;
    }
    if (failure instanceof DecodeException) {
      ProblemResponse.send(ctx, 400, "Bad request", "the body is not valid JSON", null);
      return;
    }
    if (failure instanceof HttpException) {
      HttpException he = (HttpException) failure;
      ProblemResponse.send(ctx, he.getStatusCode(), titleFor(he.getStatusCode()), detailFor(he.getStatusCode(), he.getPayload()), null);
      return;
    }
    int status = ctx.statusCode();
    if (failure == null && status >= 400) {
      ProblemResponse.send(ctx, status, titleFor(status), detailFor(status, null), null);
      return;
    }
    if (PoolSaturation.isSaturated(failure)) {
      LOG.debug("database pool saturated on {} {}", ctx.request().method(), ctx.request().path());
      ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
      ProblemResponse.send(ctx, 503, "Service unavailable",
          "the server has no free database connection right now; nothing was changed, retry after "
              + RETRY_AFTER_SECONDS + " s", null);
      return;
    }
    LOG.error("unhandled failure on {} {} rid={}", ctx.request().method(), ctx.request().path(),
        RequestIdHandler.requestId(ctx), failure);
    ProblemResponse.send(ctx, 500, "Internal server error",
        "the server failed to handle this request; quote the request id when reporting it", null);
  }

  static String titleFor(int status) {
    switch (status) {
      case 400: return "Bad request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not found";
      case 405: return "Method not allowed";
      case 406: return "Not acceptable";
      case 408: return "Request timeout";
      case 409: return "Conflict";
      case 413: return "Content too large";
      case 415: return "Unsupported media type";
      case 422: return "Unprocessable content";
      case 429: return "Too many requests";
      case 503: return "Service unavailable";
      default: return status >= 500 ? "Server error" : "Request error";
    }
  }

  static String detailFor(int status, String payload) {
    if (payload != null && !payload.isBlank()) {
      return payload;
    }
    switch (status) {
      case 404: return "no such resource";
      case 405: return "this resource does not support that method";
      case 413: return "the request body is larger than the server accepts";
      case 415: return "the request body must be application/json";
      default: return null;
    }
  }
}
