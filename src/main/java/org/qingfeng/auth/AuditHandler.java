package org.qingfeng.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.Handler;
import org.qingfeng.http.RequestIdHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every state-changing /api call once its response is sent, whatever the outcome:
 * refused calls (401, 403, 4xx) are part of the trail too.
 */
public final class AuditHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(AuditHandler.class);
  private final AuditLog audit;

  public AuditHandler(AuditLog audit) {
    this.audit = audit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    if (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS) {
      ctx.next();
      return;
    }
    ctx.addEndHandler(ar -> {
      AuditEntry e = new AuditEntry();
      Principal p = Principal.of(ctx);
      if (p != null) {
        e.actorId = p.tokenId();
        e.actorName = p.name();
        e.actorRole = p.role().wireName();
      }
      e.action = m.name() + " " + routeTemplate(ctx);
      e.target = target(ctx);
      e.outcome = ctx.response().getStatusCode();
      e.requestId = RequestIdHandler.requestId(ctx);
      e.remote = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
      audit.record(e).onFailure(err -> LOG.error("audit row lost for {} rid={}: {}", e.action, e.requestId, err.toString()));
    });
    ctx.next();
  }

  /** The route as declared (e.g. /api/v1/tokens/:id), so actions group across targets. */
  private static String routeTemplate(RoutingContext ctx) {
    String declared = ctx.currentRoute() == null ? null : ctx.currentRoute().getPath();
    if (declared == null || declared.isEmpty() || declared.equals("/")) {
      return ctx.request().path();
    }
    return ctx.mountPoint() == null ? declared : ctx.mountPoint().replaceAll("/$", "") + declared;
  }

  private static String target(RoutingContext ctx) {
    // The concrete path names the object acted on (e.g. /api/v1/tokens/7).
    return ctx.request().path();
  }
}
