package org.qingfeng.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Requests the HTTP codec could not read (request line over 8 KiB, headers over 16 KiB, garbage)
 * never reach the router; Vert.x would answer them with an empty 414 / 431 / 400. This answers
 * them as problem+json like every other error, then closes the connection (the stream is unreadable).
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
  @Override
  public void handle(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    int status;
    String title;
    String detail;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      title = "URI too long";
      detail = "the request line is longer than the server accepts (8192 bytes)";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      title = "Request header fields too large";
      detail = "the request headers are larger than the server accepts (16384 bytes)";
    } else {
      status = 400;
      title = "Bad request";
      detail = "the request is not valid HTTP/1.1";
    }
    JsonObject body = new JsonObject()
        .put("type", "https://qingfeng.example/problems/" + status)
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
    req.response().setStatusCode(status)
        .putHeader("Content-Type", ProblemResponse.CONTENT_TYPE)
        .putHeader("Connection", "close")
        .end(body.encode())
        .onComplete(ar -> req.connection().close());
  }
}
