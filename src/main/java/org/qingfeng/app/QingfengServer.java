package org.qingfeng.app;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Future;
import java.util.HashMap;
import org.apache.kafka.clients.admin.AdminClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.qingfeng.db.Database;
import org.qingfeng.db.Migrations;
import org.qingfeng.http.HttpServerVerticle;
import org.qingfeng.kafka.KafkaSettings;
import org.qingfeng.kafka.TopicProvisioner;
import org.qingfeng.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Qingfeng instance: infrastructure (embedded or external), schema, Vert.x with
 * metrics, topics, the admin token, the HTTP server and the role verticles. {@link #start}
 * blocks the calling (non-event-loop) thread until the server is ready; {@link #stop} is
 * graceful and idempotent.
 */
public final class QingfengServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QingfengServer.class);
  private static final long STEP_TIMEOUT_S = 60;

  private final QingfengConfig config;
  private final AtomicBoolean stopping = new AtomicBoolean();
  /** Readiness stays 503 until every boot step (role verticles, demo seeding) is done. */
  private final AtomicBoolean booted = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private Infrastructure infra;
  private Vertx vertx;
  private Pool pool;
  private KafkaAdminClient kafkaAdmin;
  private KafkaClientMetrics kafkaMetrics;
  private PrometheusMeterRegistry registry;
  private HttpServerVerticle http;
  private AppServices services;

  private final ServerHooks hooks;

  private QingfengServer(QingfengConfig config, ServerHooks hooks) {
    this.config = config;
    this.hooks = hooks;
  }

  public static QingfengServer start(QingfengConfig config, Consumer<String> oneTimeSecretPrinter) throws Exception {
    return start(config, oneTimeSecretPrinter, ServerHooks.defaults());
  }

  public static QingfengServer start(QingfengConfig config, Consumer<String> oneTimeSecretPrinter, ServerHooks hooks)
      throws Exception {
    QingfengServer server = new QingfengServer(config, hooks);
    try {
      server.boot(oneTimeSecretPrinter);
      return server;
    } catch (Exception | Error e) {
      server.stop();
      throw e;
    }
  }

  private void boot(Consumer<String> printer) throws Exception {
    long t0 = System.nanoTime();
    infra = Infrastructure.start(config);
    Migrations.migrate(infra.postgres());

    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(config.metricsEnabled)
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME));
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics).setPreferNativeTransport(config.nativeTransport))
        .withMetrics(new org.qingfeng.ops.VertxMeters(registry))
        .build();

    pool = Database.pool(vertx, infra.postgres(), config.postgresPoolSize);
    AdminClient nativeAdmin = AdminClient.create(new HashMap<String, Object>(KafkaSettings.admin(infra.kafkaBootstrap())));
    kafkaMetrics = new KafkaClientMetrics(nativeAdmin);
    kafkaMetrics.bindTo(registry);
    kafkaAdmin = KafkaAdminClient.create(vertx, nativeAdmin);
    Topics topics = new Topics(config.kafkaTopicPrefix);
    await(TopicProvisioner.ensure(vertx, kafkaAdmin, topics, config.kafkaPartitions, config.kafkaReplicationFactor));

    services = new AppServices(vertx, config, pool, kafkaAdmin, registry, topics, infra,
        () -> stopping.get() ? "the server is shutting down" : booted.get() ? null : "the server is starting", hooks);
    await(services.bootstrapSecrets(printer));

    if (config.hasRole(QingfengConfig.Role.API) || config.hasRole(QingfengConfig.Role.LED)) {
      Duration grace = Duration.ofSeconds(config.shutdownGraceSeconds);
      // Instances on one port share its listening socket; Vert.x spreads the connections over
      // their event loops. A random port is shared only when asked for as a negative number.
      int port = config.httpPort == 0 ? -1 : config.httpPort;
      http = new HttpServerVerticle(config.httpHost, port, services::requestHandler, grace);
      await(vertx.deployVerticle(http));
      if (config.httpInstances > 1) {
        await(vertx.deployVerticle(() -> new HttpServerVerticle(config.httpHost, port, services::requestHandler, grace),
            new io.vertx.core.DeploymentOptions().setInstances(config.httpInstances - 1)));
      }
    }
    await(services.deployRoleVerticles());
    if (config.demo) {
      await(services.seedDemo());
    }
    booted.set(true);
    java.util.List<String> embedded = new java.util.ArrayList<>(infra.embeddedParts());
    if (services.smsChannels() != null && services.smsChannels().simulated()) {
      embedded.add("smsc-simulator");
    }
    LOG.info("Qingfeng ready in {} ms on http://{}:{} ({} HTTP instances, {} transport) — embedded: {}; postgres {}; kafka {}",
        (System.nanoTime() - t0) / 1_000_000, config.httpHost, httpPort(), http == null ? 0 : config.httpInstances,
        vertx.isNativeTransportEnabled() ? "epoll" : "NIO",
        embedded.isEmpty() ? "none" : String.join(", ", embedded),
        infra.postgres().display(), infra.kafkaBootstrap());
  }

  public int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  /** The SMS channels of this instance (absent without the sender role). */
  public java.util.Optional<org.qingfeng.sms.SmsChannels> smsChannels() {
    return java.util.Optional.ofNullable(services == null ? null : services.smsChannels());
  }

  /** The receipt sink of this instance (absent without the sink role). */
  public java.util.Optional<org.qingfeng.receipts.ReceiptSinkVerticle> receiptSink() {
    return java.util.Optional.ofNullable(services == null ? null : services.receiptSink());
  }

  public Vertx vertx() {
    return vertx;
  }

  public Pool pool() {
    return pool;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public QingfengConfig config() {
    return config;
  }

  public Infrastructure infrastructure() {
    return infra;
  }

  /** Stops accepting, lets in-flight work finish within the grace period, closes clients, stops embedded services. */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    stopping.set(true);
    long t0 = System.nanoTime();
    try {
      if (kafkaMetrics != null) {
        kafkaMetrics.close();
      }
      if (kafkaAdmin != null) {
        kafkaAdmin.close().toCompletionStage().toCompletableFuture().get(3, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("Kafka admin client did not close: {}", e.toString());
    }
    try {
      if (vertx != null) {
        // Undeploying runs every verticle's stop(): the HTTP server drains, consumers commit, the
        // LED verticle writes its last last-seen times. Done before vertx.close(), which closes
        // the Postgres pool alongside the undeployment: the last writes found it closed.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.shutdownGraceSeconds + 3L);
        try {
          Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()).toCompletionStage()
              .toCompletableFuture().get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
          LOG.warn("verticles did not stop within the grace period: {}", e.toString());
        }
        vertx.close().toCompletionStage().toCompletableFuture()
            .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (Exception e) {
      LOG.warn("Vert.x did not close within the grace period: {}", e.toString());
    }
    if (infra != null) {
      infra.close();
    }
    LOG.info("Qingfeng stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  @Override
  public void close() {
    stop();
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof Exception) {
        throw (Exception) c;
      }
      throw e;
    }
  }
}
