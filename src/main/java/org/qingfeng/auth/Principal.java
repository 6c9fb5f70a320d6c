package org.qingfeng.auth;

import io.vertx.ext.web.RoutingContext;

/** The caller of an operator API request, as established by its bearer token. */
public final class Principal {
  private static final String KEY = "principal";
  private final long tokenId;
  private final String name;
  private final Role role;

  public Principal(long tokenId, String name, Role role) {
    this.tokenId = tokenId;
    this.name = name;
    this.role = role;
  }

  public long tokenId() {
    return tokenId;
  }

  public String name() {
    return name;
  }

  public Role role() {
    return role;
  }

  public void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  public static Principal of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
