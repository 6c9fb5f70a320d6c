package org.qingfeng.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes RFC 9457 application/problem+json bodies. */
public final class ProblemResponse {
  public static final String CONTENT_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://qingfeng.example/problems/";

  private ProblemResponse() {
  }

  public static Future<Void> send(RoutingContext ctx, Problem p) {
    return send(ctx, p.status(), p.title(), p.detail(), p.extensions());
  }

  public static Future<Void> send(RoutingContext ctx, int status, String title, String detail, JsonObject extensions) {
    return send(ctx.response(), ctx.request().path(), RequestIdHandler.requestId(ctx), status, title, detail, extensions);
  }

  /** The same answer for a request handled before the router (no routing context). */
  public static Future<Void> send(HttpServerResponse res, String path, String requestId, Problem p) {
    return send(res, path, requestId, p.status(), p.title(), p.detail(), p.extensions());
  }

  private static Future<Void> send(HttpServerResponse res, String path, String requestId, int status, String title,
      String detail, JsonObject extensions) {
    if (res.ended()) {
      // Already answered (e.g. 408 for a stalled body, then the connection's close fails the body read).
      return Future.succeededFuture();
    }
    if (res.headWritten()) {
      // Too late for a problem body: the client sees a cut response, which is the truth.
      res.reset();
      return Future.succeededFuture();
    }
    JsonObject body = new JsonObject()
        .put("type", TYPE_BASE + status)
        .put("title", title)
        .put("status", status);
    if (detail != null) {
      body.put("detail", detail);
    }
    body.put("instance", path);
    if (requestId != null) {
      body.put("request_id", requestId);
    }
    if (extensions != null) {
      extensions.forEach(e -> body.put(e.getKey(), e.getValue()));
    }
    return res.setStatusCode(status)
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
