package org.qingfeng.auth;

import io.vertx.core.Handler;
import java.util.Set;
import io.vertx.ext.web.RoutingContext;
import org.qingfeng.http.Problem;

/** Establishes the caller of every /api request from its bearer token; 401 without a valid one. */
public final class AuthHandler implements Handler<RoutingContext> {
  private final TokenStore tokens;
  private final Set<String> queryTokenPaths;

  public AuthHandler(TokenStore tokens) {
    this(tokens, Set.of());
  }

  /**
   * @param queryTokenPaths full paths where {@code ?access_token=} may stand in for the header,
   *     for clients that cannot set headers (a browser's EventSource); nowhere else
   */
  public AuthHandler(TokenStore tokens, Set<String> queryTokenPaths) {
    this.tokens = tokens;
    this.queryTokenPaths = Set.copyOf(queryTokenPaths);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null && queryTokenPaths.contains(ctx.request().path())) {
      String query = ctx.request().getParam("access_token");
      header = query == null ? null : "Bearer " + query;
    }
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"qingfeng\"");
      ctx.fail(Problem.unauthorized("an Authorization: Bearer <token> header is required"));
      return;
    }
    String token = header.substring(7).trim();
    if (token.isEmpty() || token.length() > 200) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"qingfeng\", error=\"invalid_token\"");
      ctx.fail(Problem.unauthorized("the bearer token is not valid"));
      return;
    }
    tokens.findActive(token).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(Problem.unavailable("cannot check the token now: the database does not answer"));
      } else if (ar.result().isEmpty()) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"qingfeng\", error=\"invalid_token\"");
        ctx.fail(Problem.unauthorized("the bearer token is unknown or revoked"));
      } else {
        ar.result().get().attach(ctx);
        ctx.next();
      }
    });
  }
}
