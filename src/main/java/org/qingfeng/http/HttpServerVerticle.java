package org.qingfeng.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The one HTTP server. On stop it stops accepting and lets in-flight requests finish. */
public final class HttpServerVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final Supplier<? extends Handler<HttpServerRequest>> handlerFactory;
  private final Duration grace;
  private HttpServer server;

  public HttpServerVerticle(String host, int port, Supplier<? extends Handler<HttpServerRequest>> handlerFactory, Duration grace) {
    this.host = host;
    this.port = port;
    this.handlerFactory = handlerFactory;
    this.grace = grace;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setCompressionSupported(true)
        // No WebSocket endpoint: without these its extension handler sits in every connection's pipeline.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setIdleTimeout(120)
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setMaxInitialLineLength(8192)
        .setMaxHeaderSize(16384);
    server = vertx.createHttpServer(options).requestHandler(handlerFactory.get())
        .invalidRequestHandler(new InvalidRequests());
    return server.listen();
  }

  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
  }
}
