package org.qingfeng.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.MetricsNaming;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The per-request HTTP server meters Vert.x Micrometer records (same names, tags method, route
 * and code, same descriptions), with each meter looked up in the registry once instead of on
 * every request: the registry lookups (tag lists, meter ids, hashing) were about a tenth of an
 * event loop's time under a fleet of polling screens. Connection-level meters (connections,
 * bytes) stay with Vert.x's own implementation, {@code connections}.
 */
final class HttpServerMeters implements HttpServerMetrics<HttpServerMeters.Request, Object, Object> {
  private final HttpServerMetrics<Object, Object, Object> connections;
  private final MeterRegistry registry;
  private final MetricsNaming names;
  private final Map<HttpMethod, PerMethod> byMethod = new ConcurrentHashMap<>();
  private final Map<Outcome, PerOutcome> byOutcome = new ConcurrentHashMap<>();
  /** GET's meters without a map look-up: the method of nearly every request (every screen poll). */
  private volatile PerMethod get;

  @SuppressWarnings("unchecked")
  HttpServerMeters(HttpServerMetrics<?, ?, ?> connections, MeterRegistry registry, MetricsNaming names) {
    this.connections = (HttpServerMetrics<Object, Object, Object>) connections;
    this.registry = registry;
    this.names = names;
  }

  private record Outcome(HttpMethod method, String route, int code) {
  }

  private final class PerMethod {
    final LongAdder active = new LongAdder();
    final DistributionSummary requestBytes;
    final Counter resets;
    /**
     * The outcome this method's last request had. A fleet of screens polling one route makes
     * nearly every request the same outcome, and comparing the route by reference and the
     * code finds its meters without building a key and hashing it per request.
     */
    volatile PerOutcome last;

    PerMethod(HttpMethod method) {
      Tags tags = Tags.of("method", method.toString());
      Gauge.builder(names.getHttpActiveRequests(), active, LongAdder::doubleValue)
          .description("Number of requests being processed").tags(tags).strongReference(true).register(registry);
      requestBytes = DistributionSummary.builder(names.getHttpRequestBytes()).description("Size of requests in bytes")
          .tags(tags).register(registry);
      resets = Counter.builder(names.getHttpRequestResetsCount()).description("Number of request resets")
          .tags(tags).register(registry);
    }
  }

  private final class PerOutcome {
    final String route;
    final int code;
    final Counter requests;
    final Timer time;
    final DistributionSummary responseBytes;

    PerOutcome(Outcome o) {
      route = o.route;
      code = o.code;
      Tags tags = Tags.of("method", o.method.toString(), "route", o.route, "code", String.valueOf(o.code));
      requests = Counter.builder(names.getHttpRequestsCount()).description("Number of processed requests")
          .tags(tags).register(registry);
      time = Timer.builder(names.getHttpResponseTime()).description("Request processing time").tags(tags).register(registry);
      responseBytes = DistributionSummary.builder(names.getHttpResponseBytes()).description("Size of responses in bytes")
          .tags(tags).register(registry);
    }
  }

  /** One request's state; routes are joined with '>' as Vert.x does for sub-routers. */
  static final class Request {
    final PerMethod perMethod;
    final HttpMethod method;
    final long startNanos;
    private Object routes;
    private boolean finished;

    Request(PerMethod perMethod, HttpMethod method, long startNanos) {
      this.perMethod = perMethod;
      this.method = method;
      this.startNanos = startNanos;
    }

    @SuppressWarnings("unchecked")
    void addRoute(String route) {
      if (route == null) {
        return;
      }
      if (routes == null) {
        routes = route;
      } else if (routes instanceof List) {
        ((List<String>) routes).add(route);
      } else {
        List<String> l = new LinkedList<>();
        l.add((String) routes);
        l.add(route);
        routes = l;
      }
    }

    @SuppressWarnings("unchecked")
    String route() {
      if (routes == null) {
        return "";
      }
      if (routes instanceof String s) {
        return s;
      }
      return String.join(">", (List<String>) routes);
    }

    /**
     * True the first time the request stops being active: answered or reset. A request answered
     * before its body ended (a 408, 413, 414 or 431 that closes the connection) never gets a
     * request end, so waiting for both halves would leave it counted as active for good.
     */
    boolean finish() {
      if (finished) {
        return false;
      }
      finished = true;
      return true;
    }
  }

  private PerMethod perMethod(HttpMethod m) {
    if (m == HttpMethod.GET) {
      PerMethod g = get;
      if (g != null) {
        return g;
      }
      return get = byMethod.computeIfAbsent(m, PerMethod::new);
    }
    PerMethod p = byMethod.get(m);
    return p != null ? p : byMethod.computeIfAbsent(m, PerMethod::new);
  }

  @Override
  public Request requestBegin(Object socket, HttpRequest request) {
    PerMethod p = perMethod(request.method());
    p.active.increment();
    return new Request(p, request.method(), System.nanoTime());
  }

  @Override
  public void requestEnd(Request r, HttpRequest request, long bytesRead) {
    r.perMethod.requestBytes.record(bytesRead);
  }

  @Override
  public void requestReset(Request r) {
    r.perMethod.resets.increment();
    if (r.finish()) {
      r.perMethod.active.decrement();
    }
  }

  @Override
  public void requestRouted(Request r, String route) {
    r.addRoute(route);
  }

  @Override
  public void responseEnd(Request r, HttpResponse response, long bytesWritten) {
    int code = response.statusCode();
    PerOutcome o = r.perMethod.last;
    // Same route object (a single route's name, or the same constant) and code: the same meters.
    if (o == null || o.code != code || !(r.routes instanceof String s && s == o.route)) {
      o = outcome(r, code);
      r.perMethod.last = o;
    }
    o.requests.increment();
    o.time.record(System.nanoTime() - r.startNanos, TimeUnit.NANOSECONDS);
    o.responseBytes.record(bytesWritten);
    if (r.finish()) {
      r.perMethod.active.decrement();
    }
  }

  private PerOutcome outcome(Request r, int code) {
    Outcome key = new Outcome(r.method, r.route(), code);
    PerOutcome o = byOutcome.get(key);
    return o != null ? o : byOutcome.computeIfAbsent(key, PerOutcome::new);
  }

  @Override
  public Request responsePushed(Object socket, HttpMethod method, String uri, HttpResponse response) {
    PerMethod p = perMethod(method);
    p.active.increment();
    return new Request(p, method, System.nanoTime());
  }

  /** No WebSocket endpoint is served; Vert.x's WebSocket gauge needs its own request type. */
  @Override
  public Object connected(Object socket, Request request, ServerWebSocket ws) {
    return null;
  }

  @Override
  public void disconnected(Object webSocket) {
    // see connected(Object, Request, ServerWebSocket)
  }

  @Override
  public Object connected(SocketAddress remote, String remoteName) {
    return connections.connected(remote, remoteName);
  }

  @Override
  public void disconnected(Object socket, SocketAddress remote) {
    connections.disconnected(socket, remote);
  }

  @Override
  public void bytesRead(Object socket, SocketAddress remote, long n) {
    connections.bytesRead(socket, remote, n);
  }

  @Override
  public void bytesWritten(Object socket, SocketAddress remote, long n) {
    connections.bytesWritten(socket, remote, n);
  }

  @Override
  public void exceptionOccurred(Object socket, SocketAddress remote, Throwable t) {
    connections.exceptionOccurred(socket, remote, t);
  }

  @Override
  public void close() {
    connections.close();
  }
}
