package org.qingfeng.led;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.qingfeng.http.Problem;
import org.qingfeng.led.LedSnapshot.Screen;

/**
 * Device authentication on /led/v1: {@code Authorization: Bearer <screenId>.<secret>}. The
 * secret (256 bits) is checked against the SHA-256 digest in the in-memory snapshot, so a
 * poll costs no database round trip. Neither the header nor the secret is ever logged.
 */
public final class DeviceAuth {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final LedRuntime runtime;

  public DeviceAuth(LedRuntime runtime) {
    this.runtime = runtime;
  }

  public static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static byte[] digest(String secret) {
    return PlaylistCompiler.sha256(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** The active screen presenting a valid secret, or a 401 (503 before the snapshot is loaded). */
  public Screen authenticate(RoutingContext ctx) {
    if (runtime.snapshot() == null) {
      ctx.response().putHeader("Retry-After", "5");
      throw Problem.unavailable("the LED service is starting");
    }
    String h = ctx.request().getHeader("Authorization");
    if (h == null || h.length() > 300 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized(ctx, "an Authorization: Bearer <screen id>.<secret> header is required");
    }
    Screen s = verify(h);
    if (s == null) {
      throw unauthorized(ctx, "unknown screen, wrong or revoked secret, or screen not approved");
    }
    return s;
  }

  /** The active screen this Authorization header proves, or null (no snapshot yet, malformed, wrong, revoked). */
  public Screen verify(String authorization) {
    if (authorization == null || authorization.length() > 300 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        || runtime.snapshot() == null) {
      return null;
    }
    // Index arithmetic instead of substring/trim/split: every poll of every screen comes here.
    int from = 7;
    int to = authorization.length();
    while (from < to && authorization.charAt(from) <= ' ') {
      from++;
    }
    while (to > from && authorization.charAt(to - 1) <= ' ') {
      to--;
    }
    int dot = authorization.indexOf('.', from);
    if (dot < 0 || dot >= to) {
      return null;
    }
    long id = screenId(authorization, from, dot);
    Screen s = id < 0 ? null : runtime.screen(id);
    if (s == null || !s.active() || s.secretSha256 == null) {
      return null;
    }
    String cached = s.verifiedSecret;
    if (cached != null && sameInConstantTime(cached, authorization, dot + 1, to)) {
      return s;
    }
    String secret = authorization.substring(dot + 1, to);
    if (!MessageDigest.isEqual(s.secretSha256, digest(secret))) {
      return null;
    }
    s.verifiedSecret = secret;
    return s;
  }

  /** The id before the dot, or -1 when it is not a number (parsed in place: no substring per poll). */
  private static long screenId(String h, int from, int dot) {
    try {
      return Long.parseLong(h, from, dot, 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Whether h[from, to) equals the verified secret, looking at every character whatever the
   * first difference, so the time taken says nothing about how much of a guess was right.
   */
  static boolean sameInConstantTime(String secret, String h, int from, int to) {
    int n = secret.length();
    if (to - from != n) {
      return false;
    }
    int diff = 0;
    for (int i = 0; i < n; i++) {
      diff |= secret.charAt(i) ^ h.charAt(from + i);
    }
    return diff == 0;
  }

  private static Problem unauthorized(RoutingContext ctx, String detail) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"qingfeng-led\"");
    return Problem.unauthorized(detail);
  }
}
