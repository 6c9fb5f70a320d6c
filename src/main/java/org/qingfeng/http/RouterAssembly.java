package org.qingfeng.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Assembles the one router from per-domain routers: cross-cutting handlers first (request id,
 * access log, body limit), then the operator API under /api/v1 behind its guards, then the
 * root routes (health, metrics, device API, OpenAPI document), then problem+json for errors.
 */
public final class RouterAssembly {
  private final List<Handler<RoutingContext>> apiGuards = new ArrayList<>();
  private final List<Consumer<Router>> apiMounts = new ArrayList<>();
  private final List<Consumer<Router>> rootMounts = new ArrayList<>();
  private final List<java.util.regex.Pattern> streamedPaths = new ArrayList<>();
  private final int bodyLimit;
  private final long bodyTimeoutMs;

  /** @param bodyTimeoutMs how long a body may take (buffered) or stall (streamed) before 408 */
  public RouterAssembly(int bodyLimit, long bodyTimeoutMs) {
    this.bodyLimit = bodyLimit;
    this.bodyTimeoutMs = bodyTimeoutMs;
  }

  /** Runs before every /api/v1 route, in the order added (e.g. audit, then authentication). */
  public RouterAssembly apiGuard(Handler<RoutingContext> guard) {
    apiGuards.add(guard);
    return this;
  }

  /** Routes relative to /api/v1. */
  public RouterAssembly api(Consumer<Router> mount) {
    apiMounts.add(mount);
    return this;
  }

  /** Routes at the root (/health, /metrics, /led/v1, ...). */
  public RouterAssembly root(Consumer<Router> mount) {
    rootMounts.add(mount);
    return this;
  }

  /** Paths (regex) whose bodies the handler streams itself, with its own larger limit. */
  public RouterAssembly streamedBody(String pathRegex) {
    streamedPaths.add(java.util.regex.Pattern.compile(pathRegex));
    return this;
  }

  public Router build(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIdHandler());
    router.route().handler(new AccessLogHandler());
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(bodyLimit).setHandleFileUploads(false);
    // One method-less route: a route per method would turn every unknown path into a 405.
    router.route().handler(ctx -> {
      HttpMethod m = ctx.request().method();
      boolean hasBody = m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH || m == HttpMethod.DELETE;
      String path = ctx.request().path();
      if (!hasBody) {
        ctx.next();
      } else if (streamedPaths.stream().anyMatch(p -> p.matcher(path).matches())) {
        StreamedBodies.prepare(ctx);
        BodyReadTimeout.progressing(ctx, bodyTimeoutMs);
        ctx.next();
      } else {
        BodyReadTimeout.whole(ctx, bodyTimeoutMs);
        bodies.handle(ctx);
      }
    });

    Router api = Router.router(vertx);
    apiGuards.forEach(g -> api.route().handler(g));
    apiMounts.forEach(m -> m.accept(api));
    api.route().failureHandler(new FailureHandler());
    router.route("/api/v1/*").subRouter(api);

    rootMounts.forEach(m -> m.accept(router));
    FailureHandler failures = new FailureHandler();
    router.route().failureHandler(failures);
    for (int status : new int[] {400, 404, 405, 406, 408, 413, 415, 500}) {
      router.errorHandler(status, failures);
    }
    api.errorHandler(404, failures);
    api.errorHandler(405, failures);
    return router;
  }
}
