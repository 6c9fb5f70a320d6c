package org.qingfeng.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ThreadLocalRandom;

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
    return idHeaderFor(request).toString();
  }

  private static final java.util.regex.Pattern SANE = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{8,128}");

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * The caller's id when sane, else 96 random bits as 24 hex digits (unique enough to find a
   * request in the logs; not a secret, so no SecureRandom, a lock and a syscall). A new id is
   * written straight into ASCII bytes: paths answered before the router put it on the response
   * as it is, without checking and encoding a String.
   */
  public static CharSequence idHeaderFor(HttpServerRequest request) {
    String incoming = request.getHeader(HEADER_NAME);
    if (incoming != null && SANE.matcher(incoming).matches()) {
      return incoming;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    byte[] b = new byte[24];
    long hi = r.nextLong();
    for (int i = 15; i >= 0; i--, hi >>>= 4) {
      b[i] = HEX[(int) (hi & 15)];
    }
    int lo = r.nextInt();
    for (int i = 23; i >= 16; i--, lo >>>= 4) {
      b[i] = HEX[lo & 15];
    }
    return new io.netty.util.AsciiString(b, false);
  }

  /** The header's name, pre-encoded. */
  public static final CharSequence HEADER_NAME = io.vertx.core.http.HttpHeaders.createOptimized(HEADER);
}
