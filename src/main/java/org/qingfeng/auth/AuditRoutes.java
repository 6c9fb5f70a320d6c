package org.qingfeng.auth;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.qingfeng.http.Problem;

/** GET /api/v1/audit: the audit trail, newest first, cursor-paginated (admin only). */
public final class AuditRoutes {
  private final AuditLog audit;

  public AuditRoutes(AuditLog audit) {
    this.audit = audit;
  }

  public void mount(Router api) {
    api.get("/audit").handler(RoleGuard.require(Role.ADMIN)).handler(this::page);
  }

  private void page(RoutingContext ctx) {
    Long cursor = optionalLong(ctx, "cursor");
    Long actor = optionalLong(ctx, "actor");
    Long limitParam = optionalLong(ctx, "limit");
    int limit = limitParam == null ? 100 : (int) Math.min(Math.max(limitParam, 1), 1000);
    audit.page(cursor, limit, actor).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static Long optionalLong(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw Problem.badRequest("query parameter '" + name + "' must be a whole number");
    }
  }
}
