package org.qingfeng.contacts;

import io.vertx.ext.web.RoutingContext;
import org.qingfeng.http.Problem;

/** Query and path parameters shared by the contacts, opt-out and template routes. */
public final class Params {
  private Params() {
  }

  public static Long optionalLong(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw Problem.badRequest("query parameter '" + name + "' must be a whole number");
    }
  }

  public static int limit(RoutingContext ctx, int dflt, int max) {
    Long v = optionalLong(ctx, "limit");
    if (v == null) {
      return dflt;
    }
    if (v < 1 || v > max) {
      throw Problem.badRequest("query parameter 'limit' must be between 1 and " + max);
    }
    return v.intValue();
  }

  /** A positive id from the path; anything else is a 404 for {@code what}. */
  public static long id(RoutingContext ctx, String what) {
    String s = ctx.pathParam("id");
    try {
      long id = Long.parseLong(s);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw Problem.notFound("no " + what + " with id '" + s + "'");
  }
}
