package org.qingfeng.campaign;

import io.vertx.ext.web.RoutingContext;
import org.qingfeng.http.Problem;

/** Query-parameter parsing shared by the campaign and message listings. */
final class Query {
  private Query() {
  }

  static Long optionalLong(RoutingContext ctx, String name) {
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

  static int limit(RoutingContext ctx) {
    Long l = optionalLong(ctx, "limit");
    return l == null ? 100 : (int) Math.min(Math.max(l, 1), 1000);
  }
}
