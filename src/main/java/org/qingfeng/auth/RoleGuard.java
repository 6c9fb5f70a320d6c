package org.qingfeng.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.qingfeng.http.Problem;

/** Lets a request through when its caller has one of the allowed roles (admin always may). */
public final class RoleGuard implements Handler<RoutingContext> {
  private final Set<Role> allowed;

  private RoleGuard(Set<Role> allowed) {
    this.allowed = allowed;
  }

  public static RoleGuard require(Role first, Role... rest) {
    EnumSet<Role> set = EnumSet.of(first, rest);
    set.add(Role.ADMIN);
    return new RoleGuard(set);
  }

  public static RoleGuard anyRole() {
    return new RoleGuard(EnumSet.allOf(Role.class));
  }

  @Override
  public void handle(RoutingContext ctx) {
    Principal p = Principal.of(ctx);
    if (p == null) {
      ctx.fail(Problem.unauthorized("an Authorization: Bearer <token> header is required"));
    } else if (!allowed.contains(p.role())) {
      ctx.fail(Problem.forbidden("role '" + p.role().wireName() + "' may not do this; allowed: "
          + allowed.stream().map(Role::wireName).sorted().collect(Collectors.joining(", "))));
    } else {
      ctx.next();
    }
  }
}
