package org.qingfeng.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Gives every request an id (kept from X-Request-Id when sane), echoed on the response and logged. */
public final class RequestIdHandler implements Handler<RoutingContext> {
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "requestId";
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public void handle(RoutingContext ctx) {
    String incoming = ctx.request().getHeader(HEADER);
    String id = incoming != null && incoming.matches("[A-Za-z0-9._:-]{8,128}") ? incoming : newId();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  public static String requestId(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  private static String newId() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
