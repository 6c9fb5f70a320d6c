package org.qingfeng.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.sqlclient.Pool;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.qingfeng.auth.AdminTokenBootstrap;
import org.qingfeng.auth.AuditHandler;
import org.qingfeng.auth.AuditLog;
import org.qingfeng.auth.AuditRoutes;
import org.qingfeng.auth.AuthHandler;
import org.qingfeng.auth.TokenRoutes;
import org.qingfeng.auth.TokenStore;
import org.qingfeng.db.Database;
import org.qingfeng.http.OpenApiRoutes;
import org.qingfeng.http.RouterAssembly;
import org.qingfeng.kafka.Topics;
import org.qingfeng.led.LedAlertRoutes;
import org.qingfeng.led.LedContentRoutes;
import org.qingfeng.led.LedContentStore;
import org.qingfeng.led.LedDeviceRoutes;
import org.qingfeng.led.LedPlayStore;
import org.qingfeng.led.LedRuntime;
import org.qingfeng.led.LedScreenRoutes;
import org.qingfeng.led.LedSettings;
import org.qingfeng.led.LedStore;
import org.qingfeng.led.LedVerticle;
import org.qingfeng.led.PlayIntake;
import org.qingfeng.led.PlayPublisher;
import org.qingfeng.led.PlayRecord;
import org.qingfeng.led.PlaySinkVerticle;
import org.qingfeng.led.RuleImporter;
import org.qingfeng.ops.HealthRoutes;
import org.qingfeng.ops.MetricsRoutes;
import org.qingfeng.ops.ReadinessCheck;

/** Wires the domains together: who gets which client, which routes go where, which verticles run. */
final class AppServices {
  private final Vertx vertx;
  private final QingfengConfig config;
  private final Pool pool;
  private final KafkaAdminClient kafkaAdmin;
  private final PrometheusMeterRegistry registry;
  private final Topics topics;
  private final Infrastructure infra;
  private final BooleanSupplier stopping;
  private final TokenStore tokens;
  private final AuditLog audit;
  private final LedStore ledStore;
  private final LedContentStore ledContent;
  private final LedPlayStore ledPlays;
  private final LedRuntime ledRuntime;
  private final PlayPublisher playPublisher;

  AppServices(Vertx vertx, QingfengConfig config, Pool pool, KafkaAdminClient kafkaAdmin,
      PrometheusMeterRegistry registry, Topics topics, Infrastructure infra, BooleanSupplier stopping) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.kafkaAdmin = kafkaAdmin;
    this.registry = registry;
    this.topics = topics;
    this.infra = infra;
    this.stopping = stopping;
    this.tokens = new TokenStore(pool);
    this.audit = new AuditLog(pool);
    this.ledStore = new LedStore(pool);
    this.ledContent = new LedContentStore(pool);
    this.ledPlays = new LedPlayStore(pool);
    this.ledRuntime = new LedRuntime(vertx, ledStore, LedSettings.from(config));
    if (config.hasRole(QingfengConfig.Role.LED) || config.hasRole(QingfengConfig.Role.SINK)) {
      // jsoniter builds its PlayRecord codec on first use (1-4 s): here, on the boot thread, not an event loop.
      PlayRecord.warmUpCodec();
    }
    // Built here, on the boot thread: the Kafka client's constructor blocks for a while.
    this.playPublisher = config.hasRole(QingfengConfig.Role.LED)
        ? new PlayPublisher(vertx, infra.kafkaBootstrap(), topics.ledPlays, config.ledPlaysMaxInflight) : null;
  }

  Future<Void> bootstrapSecrets(Consumer<String> printer) {
    return AdminTokenBootstrap.run(tokens, config.adminToken, printer);
  }

  Router router() {
    RouterAssembly assembly = new RouterAssembly(config.bodyLimit)
        .apiGuard(new AuditHandler(audit))
        .apiGuard(new AuthHandler(tokens))
        .api(new TokenRoutes(tokens)::mount)
        .api(new AuditRoutes(audit)::mount)
        .root(new HealthRoutes(new ReadinessCheck(pool, kafkaAdmin), stopping)::mount)
        .root(new OpenApiRoutes()::mount)
        .streamedBody(LedContentRoutes.IMPORT_PATH_REGEX)
        .api(new LedScreenRoutes(ledStore, ledRuntime)::mount)
        .api(new LedContentRoutes(ledContent, ledRuntime, new RuleImporter(pool, ledRuntime, config.uploadLimit))::mount)
        .api(new LedAlertRoutes(ledContent, ledPlays, ledRuntime)::mount);
    if (playPublisher != null) {
      assembly.root(new LedDeviceRoutes(ledRuntime, ledStore, new PlayIntake(ledRuntime, ledPlays, playPublisher))::mount);
    }
    if (config.metricsEnabled) {
      assembly.root(new MetricsRoutes(registry)::mount);
    }
    return assembly.build(vertx);
  }

  Future<Void> deployRoleVerticles() {
    Future<?> led = config.hasRole(QingfengConfig.Role.LED)
        ? vertx.deployVerticle(new LedVerticle(ledRuntime, ledStore, Database.connectOptions(infra.postgres()), playPublisher))
        : Future.succeededFuture();
    Future<?> sink = config.hasRole(QingfengConfig.Role.SINK)
        ? vertx.deployVerticle(new PlaySinkVerticle(ledPlays, infra.kafkaBootstrap(), topics.ledPlays, topics.dlq,
            topics.ledPlays + ".sink"))
        : Future.succeededFuture();
    return Future.all(led, sink).mapEmpty();
  }

  Future<Void> seedDemo() {
    return new DemoSeeder(pool, tokens, config.dataDir).seedOnce();
  }
}
