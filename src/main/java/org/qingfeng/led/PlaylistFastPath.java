package org.qingfeng.led;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.Arrays;
import org.qingfeng.http.AccessLogHandler;
import org.qingfeng.http.Problem;
import org.qingfeng.http.ProblemResponse;
import org.qingfeng.http.RequestIdHandler;
import org.qingfeng.led.LedSnapshot.Screen;

/**
 * Every screen polls every few seconds and nearly every poll finds its playlist unchanged, so
 * that case is answered before the router: a GET of the playlist with a valid device credential
 * and an If-None-Match naming the current playlist, answered 304 at once or, with
 * {@code ?wait=N}, held until the playlist changes or N seconds pass. It sets what the routed
 * answer sets (request id, ETag and poll headers, last seen, access line, the route for metrics)
 * and writes it with the same code ({@link LedDeviceRoutes#answer}). Anything else, including
 * every failure and a full poll hub, goes to the router, which answers it in full.
 *
 * <p>Held here, a long-poll costs no routing context and runs the code the 304s keep compiled:
 * an alert to thousands of held polls is written by a warm server rather than a cold one.
 */
public final class PlaylistFastPath {
  static final String PATH = "/led/v1/playlist";
  // Looked up on every poll: pre-encoded names hash once instead of per look-up.
  private static final CharSequence IF_NONE_MATCH = HttpHeaders.createOptimized("If-None-Match");
  private static final CharSequence AUTHORIZATION = HttpHeaders.createOptimized("Authorization");
  private static final CharSequence ACCEPT = HttpHeaders.createOptimized("Accept");
  private final LedRuntime runtime;
  private final DeviceAuth auth;

  public PlaylistFastPath(LedRuntime runtime) {
    this.runtime = runtime;
    this.auth = new DeviceAuth(runtime);
  }

  /** True when this request was answered (or is held) here; false leaves it untouched for the router. */
  public boolean tryAnswer(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET || !PATH.equals(req.path())) {
      return false;
    }
    int wait = waitSeconds(req.query(), runtime.settings().maxWaitS);
    if (wait < 0) {
      return false;
    }
    String ifNoneMatch = req.getHeader(IF_NONE_MATCH);
    if (ifNoneMatch == null) {
      return false;
    }
    long start = System.nanoTime();
    Screen screen = auth.verify(req.getHeader(AUTHORIZATION));
    if (screen == null) {
      return false;
    }
    boolean plain = LedDeviceRoutes.wantsPlainText(req.getHeader(ACCEPT));
    Playlist p = runtime.playlist(screen, Instant.now());
    if (!LedDeviceRoutes.matches(ifNoneMatch, p.etag(plain))) {
      return false;
    }
    if (wait > 0) {
      return hold(req, screen, p, plain, wait, start);
    }
    runtime.seen(screen.id);
    answer(req, p, plain, true, start);
    return true;
  }

  /**
   * The wait a query asks for: 0 for none (or "wait=0"), N for exactly "wait=N" within the
   * limit, -1 for anything else (the router answers it, with a 400 where it is wrong).
   */
  static int waitSeconds(String query, int max) {
    if (query == null || query.isEmpty()) {
      return 0;
    }
    int n = query.length();
    if (n < 6 || n > 9 || !query.startsWith("wait=")) {
      return -1;
    }
    int w = 0;
    for (int i = 5; i < n; i++) {
      char c = query.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      w = w * 10 + (c - '0');
    }
    return w <= max ? w : -1;
  }

  private boolean hold(HttpServerRequest req, Screen screen, Playlist p, boolean plain, int wait, long start) {
    PollHub.Waiter w = runtime.hub().hold(screen.id, p.etag(plain), plain, wait * 1000L,
        changed -> answer(req, changed, plain, false, start), () -> timedOut(req, screen, p, plain, start));
    if (w == null) {
      return false; // the router answers 503 with Retry-After
    }
    runtime.seen(screen.id);
    req.response().closeHandler(v -> w.cancel());
    return true;
  }

  private void timedOut(HttpServerRequest req, Screen screen, Playlist held, boolean plain, long start) {
    Screen current = runtime.screen(screen.id);
    if (current == null || !current.active() || !Arrays.equals(current.secretSha256, screen.secretSha256)) {
      // Revoked or rotated while waiting: the held credential is no longer valid.
      CharSequence requestId = begin(req);
      if (requestId != null) {
        ProblemResponse.send(req.response(), req.path(), requestId.toString(),
            Problem.unauthorized("the screen was revoked or its secret rotated"));
        log(req, 401, start, requestId);
      }
      return;
    }
    Playlist now = runtime.playlist(current, Instant.now());
    answer(req, now, plain, now.etag(plain).equals(held.etag(plain)), start);
  }

  private static void answer(HttpServerRequest req, Playlist p, boolean plain, boolean notModified, long start) {
    CharSequence requestId = begin(req);
    if (requestId != null) {
      LedDeviceRoutes.answer(req.response(), p, plain, notModified);
      log(req, notModified ? 304 : 200, start, requestId);
    }
  }

  /**
   * What the router's handlers would have done before answering: the route for metrics and the
   * request id on the response. Null when there is nobody left to answer (client gone, or answered).
   */
  private static CharSequence begin(HttpServerRequest req) {
    HttpServerResponse response = req.response();
    if (response.ended() || response.closed()) {
      return null;
    }
    req.routed(PATH);
    CharSequence requestId = RequestIdHandler.idHeaderFor(req);
    response.putHeader(RequestIdHandler.HEADER_NAME, requestId);
    return requestId;
  }

  private static void log(HttpServerRequest req, int status, long start, CharSequence requestId) {
    if (AccessLogHandler.enabled()) {
      AccessLogHandler.log(req, status, start, req.response().bytesWritten(), requestId.toString(), "-");
    }
  }
}
