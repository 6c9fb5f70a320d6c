package org.qingfeng.auth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.qingfeng.http.JsonBody;
import org.qingfeng.http.Problem;

/** /api/v1/tokens: admins create (token shown once), list and revoke operator tokens. */
public final class TokenRoutes {
  private final TokenStore tokens;

  public TokenRoutes(TokenStore tokens) {
    this.tokens = tokens;
  }

  public void mount(Router api) {
    api.post("/tokens").handler(RoleGuard.require(Role.ADMIN)).handler(this::create);
    api.get("/tokens").handler(RoleGuard.require(Role.ADMIN)).handler(this::list);
    api.delete("/tokens/:id").handler(RoleGuard.require(Role.ADMIN)).handler(this::revoke);
    api.get("/me").handler(RoleGuard.anyRole()).handler(this::me);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = JsonBody.object(ctx, "role", "name");
    String name = JsonBody.requiredString(body, "name", 200);
    String roleName = JsonBody.requiredString(body, "role", 20);
    Role role = Role.parse(roleName).orElseThrow(() ->
        Problem.unprocessable("'role' must be one of admin, operator, approver, viewer"));
    String token = Tokens.newToken();
    tokens.insert(name, role, token, Principal.of(ctx).tokenId())
        .onSuccess(id -> ctx.response().setStatusCode(201)
            .putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .putHeader("Location", "/api/v1/tokens/" + id)
            .end(new JsonObject().put("id", id).put("name", name).put("role", role.wireName())
                .put("token", token).encode()))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    tokens.list()
        .onSuccess(items -> ctx.json(new JsonObject().put("items", items)))
        .onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    long id = parseId(ctx.pathParam("id"));
    tokens.revoke(id)
        .onSuccess(done -> {
          if (done) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.fail(Problem.notFound("no live token with id " + id));
          }
        })
        .onFailure(ctx::fail);
  }

  private void me(RoutingContext ctx) {
    Principal p = Principal.of(ctx);
    ctx.json(new JsonObject().put("token_id", p.tokenId()).put("name", p.name()).put("role", p.role().wireName()));
  }

  static long parseId(String s) {
    try {
      long id = Long.parseLong(s);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the 404 below
    }
    throw Problem.notFound("no token with id '" + s + "'");
  }
}
