package org.qingfeng.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.HexFormat;

/** Gives every request an id (kept from X-Request-Id when sane), echoed on the response and logged. */
public final class RequestIdHandler implements Handler<RoutingContext> {
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "requestId";

  @Override
  public void handle(RoutingContext ctx) {
    String id = idFor(ctx.request());
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  public static String requestId(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  /** The caller's X-Request-Id when sane, else a new one. */
  public static String idFor(HttpServerRequest request) {
    String incoming = request.getHeader(HEADER);
    return incoming != null && SANE.matcher(incoming).matches() ? incoming : newId();
  }

  private static final java.util.regex.Pattern SANE = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{8,128}");

  /** 96 random bits: unique enough to find a request in the logs; not a secret, so no SecureRandom (a lock and a syscall). */
  private static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextInt());
  }
}
