package org.qingfeng.ops;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import org.qingfeng.auth.Principal;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.http.Problem;

/**
 * The ops dashboard: GET /api/v1/ops/stream (server-sent events, any role) and the static page
 * at /ops/ with Chart.js served from its webjar. The page itself holds no data: everything it
 * shows comes through the stream, which needs a valid token.
 */
public final class OpsRoutes {
  /** The Chart.js webjar version in pom.xml; its UMD build is served as /ops/vendor/chart.umd.js. */
  public static final String CHART_JS_VERSION = "4.4.7";
  public static final String STREAM_PATH = "/api/v1/ops/stream";
  private final OpsStream stream;
  private final OpsMetrics metrics;
  private final int clientBufferBytes;
  private final long slowClientMs;

  OpsRoutes(OpsStream stream, OpsMetrics metrics, int clientBufferBytes, long slowClientMs) {
    this.stream = stream;
    this.metrics = metrics;
    this.clientBufferBytes = clientBufferBytes;
    this.slowClientMs = slowClientMs;
  }

  /** Routes relative to /api/v1. */
  public void mountApi(Router api) {
    api.get("/ops/stream").handler(RoleGuard.anyRole()).handler(this::stream);
  }

  /** The page and its script library, at the root. */
  public void mountRoot(Router root) {
    // Vert.x matches "/ops" for "/ops/" too: redirect only the bare path, or the page's relative URLs break.
    root.get("/ops").handler(ctx -> {
      if (ctx.request().path().equals("/ops")) {
        ctx.redirect("/ops/");
      } else {
        ctx.next();
      }
    });
    root.get("/ops/vendor/*").handler(StaticHandler.create("META-INF/resources/webjars/chart.js/" + CHART_JS_VERSION + "/dist")
        .setMaxAgeSeconds(86_400));
    root.get("/ops/*").handler(StaticHandler.create("webroot/ops").setCachingEnabled(false));
  }

  private void stream(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    SseClient client = new SseClient(ctx.vertx().getOrCreateContext(), response, ctx.request().connection(),
        Principal.of(ctx).tokenId(), slowClientMs, clientBufferBytes, metrics::slowDisconnect);
    // The first event reaches the client in a later task of this event loop, after the headers below.
    if (!stream.register(client)) {
      ctx.fail(Problem.unavailable("this instance serves its maximum of ops stream clients; try another or later"));
      return;
    }
    response.closeHandler(v -> stream.unregister(client));
    capKernelSendBuffer(ctx);
    response.setChunked(true)
        .setWriteQueueMaxSize(clientBufferBytes)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        // Not compressed: a compressor may hold events back; and proxies must not buffer them.
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 3000\n\n");
  }

  /**
   * Caps this connection's kernel send buffer (which Linux otherwise grows up to megabytes), so a
   * client that stops reading fills its queue after about client-buffer-bytes and is detected.
   * Uses Vert.x's connection internals; on a connection of another kind the JVM-side bound alone holds.
   */
  private void capKernelSendBuffer(RoutingContext ctx) {
    if (ctx.request().connection() instanceof io.vertx.core.net.impl.ConnectionBase c) {
      c.channel().config().setOption(io.netty.channel.ChannelOption.SO_SNDBUF, clientBufferBytes);
    }
  }
}
