package org.qingfeng.led;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.qingfeng.http.JsonBody;
import org.qingfeng.http.Problem;
import org.qingfeng.led.LedSnapshot.Screen;

/**
 * The device API under /led/v1: enrolment (no secret yet), the playlist poll (ETag, 304,
 * long-poll, text/plain) and proof of play. A poll reads only memory: the snapshot, the compiled
 * playlist and the coalesced last-seen map.
 */
public final class LedDeviceRoutes {
  private static final Set<String> COLOUR_MODES = Set.of("mono", "dual", "full");
  private final LedRuntime runtime;
  private final DeviceAuth auth;
  private final LedStore store;
  private final PlayIntake plays;

  public LedDeviceRoutes(LedRuntime runtime, LedStore store, PlayIntake plays) {
    this.runtime = runtime;
    this.auth = new DeviceAuth(runtime);
    this.store = store;
    this.plays = plays;
  }

  public void mount(Router root) {
    root.post("/led/v1/enroll").handler(this::enroll);
    root.get("/led/v1/playlist").handler(this::playlist);
    root.post("/led/v1/plays").handler(plays::handle);
  }

  private void enroll(RoutingContext ctx) {
    JsonObject b = JsonBody.object(ctx, "hardware_key", "name", "width", "height", "colour_mode", "time_zone");
    String key = JsonBody.requiredString(b, "hardware_key", 200);
    if (!key.matches("[A-Za-z0-9:._-]{4,200}")) {
      throw Problem.unprocessable("'hardware_key' must be 4 to 200 letters, digits or : . _ -");
    }
    String name = JsonBody.requiredString(b, "name", 200);
    Integer width = ItemInput.integer(b, "width", 1, 65535);
    Integer height = ItemInput.integer(b, "height", 1, 65535);
    if (width == null || height == null) {
      throw Problem.unprocessable("'width' and 'height' (pixels) are required");
    }
    String mode = ItemInput.oneOf(b, "colour_mode", COLOUR_MODES);
    if (mode == null) {
      throw Problem.unprocessable("'colour_mode' is required (mono, dual or full)");
    }
    String zone = zone(b.getValue("time_zone"));
    store.enroll(key, name, width, height, mode, zone, runtime.settings().pollIntervalS)
        .onSuccess(r -> ctx.response().setStatusCode(r.getBoolean("created") ? 202 : 200)
            .putHeader("Content-Type", "application/json").end(r.encode()))
        .onFailure(ctx::fail);
  }

  /** A screen's zone when enrolment names none. */
  static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

  static String zone(Object v) {
    if (v == null) {
      return DEFAULT_ZONE.getId();
    }
    try {
      return ZoneId.of(String.valueOf(v)).getId();
    } catch (DateTimeException e) {
      throw Problem.unprocessable("'time_zone' must be an IANA zone such as Asia/Shanghai");
    }
  }

  private void playlist(RoutingContext ctx) {
    Screen screen = auth.authenticate(ctx);
    runtime.seen(screen.id);
    int wait = waitSeconds(ctx);
    boolean plain = wantsPlainText(ctx.request().getHeader("Accept"));
    Playlist p = runtime.playlist(screen, Instant.now());
    String inm = ctx.request().getHeader("If-None-Match");
    if (inm == null || !matches(inm, p.etag(plain))) {
      send(ctx, p, plain);
      return;
    }
    if (wait == 0) {
      notModified(ctx, p, plain);
      return;
    }
    PollHub.Waiter w = runtime.hub().hold(screen.id, p.etag(plain), plain, wait * 1000L,
        changed -> send(ctx, changed, plain), () -> {
          Screen current = runtime.screen(screen.id);
          if (current == null || !current.active() || !java.util.Arrays.equals(current.secretSha256, screen.secretSha256)) {
            // Revoked or rotated while waiting: the held credential is no longer valid.
            ctx.fail(Problem.unauthorized("the screen was revoked or its secret rotated"));
            return;
          }
          Playlist now = runtime.playlist(current, Instant.now());
          if (now.etag(plain).equals(p.etag(plain))) {
            notModified(ctx, now, plain);
          } else {
            send(ctx, now, plain);
          }
        });
    if (w == null) {
      ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, p.nextPollS / 4)));
      throw Problem.unavailable("this server holds as many long-polls as it may; poll again later");
    }
    ctx.response().closeHandler(v -> w.cancel());
  }

  private int waitSeconds(RoutingContext ctx) {
    List<String> values = ctx.queryParam("wait");
    if (values.isEmpty()) {
      return 0;
    }
    int max = runtime.settings().maxWaitS;
    try {
      int w = Integer.parseInt(values.get(0));
      if (w >= 0 && w <= max) {
        return w;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw Problem.badRequest("'wait' must be a whole number of seconds from 0 to " + max);
  }

  static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch.equals(etag)) {
      // What a screen sends back nearly every time: its one current tag, nothing to split.
      return true;
    }
    for (String t : ifNoneMatch.split(",")) {
      String s = t.trim();
      if (s.startsWith("W/")) {
        s = s.substring(2);
      }
      if (s.equals("*") || s.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  // Names and fixed values as pre-encoded ASCII: every poll sets them, and Vert.x validates and
  // encodes a String character by character but copies an AsciiString's bytes.
  private static final CharSequence ETAG = HttpHeaders.createOptimized("ETag");
  private static final CharSequence CACHE_CONTROL = HttpHeaders.createOptimized("Cache-Control");
  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
  private static final CharSequence VARY = HttpHeaders.createOptimized("Vary");
  private static final CharSequence ACCEPT = HttpHeaders.createOptimized("Accept");
  private static final CharSequence NEXT_POLL = HttpHeaders.createOptimized("X-Next-Poll-S");
  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence PLAIN = HttpHeaders.createOptimized("text/plain; charset=utf-8");
  /** Vert.x's own lower-case name, so the answer's bytes are what Vert.x would write itself. */
  private static final CharSequence CONTENT_LENGTH = HttpHeaders.CONTENT_LENGTH;

  static HttpServerResponse headers(HttpServerResponse response, Playlist p, boolean plain) {
    return response.putHeader(ETAG, p.etagHeader(plain)).putHeader(CACHE_CONTROL, NO_CACHE)
        .putHeader(VARY, ACCEPT).putHeader(NEXT_POLL, p.nextPollHeader);
  }

  static boolean wantsPlainText(String accept) {
    return accept != null && accept.contains("text/plain") && !accept.contains("application/json");
  }

  private static void send(RoutingContext ctx, Playlist p, boolean plain) {
    answer(ctx.response(), p, plain, false);
  }

  private static void notModified(RoutingContext ctx, Playlist p, boolean plain) {
    answer(ctx.response(), p, plain, true);
  }

  /**
   * The one way a poll is answered, through the router or before it ({@link PlaylistFastPath}):
   * 304 when the client holds {@code p}, else {@code p} itself. The same code for both keeps
   * their bytes equal and keeps the long-poll answers on code the 304s have already warmed.
   * False when there was nobody left to answer (client gone, or answered already).
   */
  static boolean answer(HttpServerResponse response, Playlist p, boolean plain, boolean notModified) {
    if (response.ended() || response.closed()) {
      return false;
    }
    headers(response, p, plain);
    if (notModified) {
      response.setStatusCode(304).end();
    } else {
      response.putHeader(CONTENT_TYPE, plain ? PLAIN : JSON)
          .putHeader(CONTENT_LENGTH, plain ? p.textLengthHeader : p.jsonLengthHeader)
          .end(plain ? p.text : p.json);
    }
    return true;
  }
}
