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
    String cred = authorization.substring(7).trim();
    int dot = cred.indexOf('.');
    long id;
    try {
      id = dot <= 0 ? -1 : Long.parseLong(cred.substring(0, dot));
    } catch (NumberFormatException e) {
      id = -1;
    }
    Screen s = id < 0 ? null : runtime.screen(id);
    if (s == null || !s.active() || s.secretSha256 == null
        || !MessageDigest.isEqual(s.secretSha256, digest(cred.substring(dot + 1)))) {
      return null;
    }
    return s;
  }

  private static Problem unauthorized(RoutingContext ctx, String detail) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"qingfeng-led\"");
    return Problem.unauthorized(detail);
  }
}
