package org.qingfeng.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.Set;

/**
 * Vert.x Micrometer metrics, except that per-request HTTP server meters are recorded by
 * {@link HttpServerMeters} (same names and tags, meters resolved once). Everything else — event
 * loops, pools, clients, connections — is Vert.x Micrometer's own.
 */
public final class VertxMeters implements VertxMetricsFactory {
  /** The labels HttpServerMeters records; other labels would need Vert.x's own per-request meters. */
  public static final Set<Label> HTTP_LABELS = EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE);
  private final MicrometerMetricsFactory micrometer;
  private final MeterRegistry registry;

  public VertxMeters(MeterRegistry registry) {
    this.micrometer = new MicrometerMetricsFactory(registry);
    this.registry = registry;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    VertxMetrics inner = micrometer.metrics(options);
    MicrometerMetricsOptions mo = options.getMetricsOptions() instanceof MicrometerMetricsOptions m ? m : new MicrometerMetricsOptions();
    Set<Label> httpLabels = EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.HTTP_PATH,
        Label.LOCAL, Label.REMOTE);
    httpLabels.retainAll(mo.getLabels());
    if (!httpLabels.equals(HTTP_LABELS) || mo.getServerRequestTagsProvider() != null || !mo.getLabelMatches().isEmpty()) {
      return inner; // a configuration HttpServerMeters does not reproduce
    }
    return (VertxMetrics) Proxy.newProxyInstance(VertxMetrics.class.getClassLoader(), new Class<?>[] {VertxMetrics.class},
        (proxy, method, args) -> {
          try {
            Object result = method.invoke(inner, args);
            if (result instanceof HttpServerMetrics<?, ?, ?> http && "createHttpServerMetrics".equals(method.getName())) {
              return new HttpServerMeters(http, registry, mo.getMetricsNaming().withBaseName(MetricsDomain.HTTP_SERVER.getPrefix()));
            }
            return result;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public MetricsOptions newOptions() {
    return micrometer.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return micrometer.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return micrometer.newOptions(json);
  }
}
