package org.qingfeng.led;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import org.qingfeng.http.AccessLogHandler;
import org.qingfeng.http.RequestIdHandler;
import org.qingfeng.led.LedSnapshot.Screen;

/**
 * Every screen polls every few seconds and nearly every poll is answered 304, so that one case
 * is answered before the router: a GET of the playlist with a valid device credential, an
 * If-None-Match naming the current playlist and no long-poll wait. It sets what the routed
 * answer sets (request id, ETag and poll headers, last seen, access line, the route for metrics).
 * Anything else, including every failure, goes to the router, which answers it in full.
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

  /** True when this request was answered here; false leaves it untouched for the router. */
  public boolean tryAnswer(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET || !PATH.equals(req.path())) {
      return false;
    }
    String query = req.query();
    if (query != null && !query.isEmpty() && !query.equals("wait=0")) {
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
    runtime.seen(screen.id);
    req.routed(PATH);
    CharSequence requestId = RequestIdHandler.idHeaderFor(req);
    HttpServerResponse response = req.response().putHeader(RequestIdHandler.HEADER_NAME, requestId);
    LedDeviceRoutes.headers(response, p, plain).setStatusCode(304).end();
    if (AccessLogHandler.enabled()) {
      AccessLogHandler.log(req, 304, start, 0, requestId.toString(), "-");
    }
    return true;
  }
}
