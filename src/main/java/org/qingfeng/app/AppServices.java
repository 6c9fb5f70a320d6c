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
import org.qingfeng.http.OpenApiRoutes;
import org.qingfeng.http.RouterAssembly;
import org.qingfeng.kafka.Topics;
import org.qingfeng.ops.HealthRoutes;
import org.qingfeng.ops.MetricsRoutes;
import org.qingfeng.ops.ReadinessCheck;
import java.util.concurrent.atomic.AtomicReference;
import org.qingfeng.sms.SmsChannels;
import org.qingfeng.sms.SmsChannelsVerticle;
import org.qingfeng.sms.SmsPreviewRoutes;
import org.qingfeng.sms.SmsRoutes;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.receipts.LedgerRecipients;
import org.qingfeng.receipts.ReceiptQueries;
import org.qingfeng.receipts.ReceiptRoutes;
import org.qingfeng.receipts.ReceiptSinkOptions;
import org.qingfeng.receipts.ReceiptSinkVerticle;

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
  private final AtomicReference<SmsChannels> smsChannels = new AtomicReference<>();
  private final AtomicReference<ReceiptSinkVerticle> receiptSink = new AtomicReference<>();
  static final String DEFAULT_PHONE_REGION = "CN";

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
        .api(new SmsPreviewRoutes(smsEncoder())::mount)
        .api(new SmsRoutes(smsChannels::get, smsEncoder(), DEFAULT_PHONE_REGION)::mount)
        .api(new ReceiptRoutes(new ReceiptQueries(pool), new LedgerRecipients(pool))::mount)
        .root(new HealthRoutes(new ReadinessCheck(pool, kafkaAdmin), stopping)::mount)
        .root(new OpenApiRoutes()::mount);
    if (config.metricsEnabled) {
      assembly.root(new MetricsRoutes(registry)::mount);
    }
    return assembly.build(vertx);
  }

  SmsEncoder smsEncoder() {
    return new SmsEncoder(config.smsMaxParts, config.smsConcatReferenceBits == 16);
  }

  Future<Void> deployRoleVerticles() {
    Future<Void> chain = Future.succeededFuture();
    if (config.hasRole(QingfengConfig.Role.SENDER)) {
      SmsChannelsVerticle channels = new SmsChannelsVerticle(config, infra.kafkaBootstrap(), registry, smsEncoder());
      chain = chain.compose(v -> vertx.deployVerticle(channels))
          .compose(id -> channels.channels())
          .map(c -> {
            smsChannels.set(c);
            return null;
          });
    }
    if (config.hasRole(QingfengConfig.Role.SINK)) {
      ReceiptSinkVerticle sink = new ReceiptSinkVerticle(receiptSinkOptions(), pool, registry, java.time.Clock.systemUTC());
      chain = chain.compose(v -> vertx.deployVerticle(sink)).map(id -> {
        receiptSink.set(sink);
        return null;
      });
    }
    return chain;
  }

  ReceiptSinkOptions receiptSinkOptions() {
    ReceiptSinkOptions o = new ReceiptSinkOptions(infra.kafkaBootstrap(), topics.smsEvents, topics.dlq);
    o.groupId = config.receiptsConsumerGroup;
    o.batchSize = config.receiptsBatchSize;
    o.batchLingerMs = config.receiptsBatchLingerMs;
    o.unmatchedAfterMs = config.receiptsUnmatchedAfterMs;
    o.unknownAfterMs = config.receiptsUnknownAfterMs;
    o.sweepIntervalMs = config.receiptsSweepIntervalMs;
    return o;
  }

  /** The receipt sink of this instance, once deployed; null when it runs no sink role. */
  ReceiptSinkVerticle receiptSink() {
    return receiptSink.get();
  }

  /** The SMS channels of this instance, once started; null when it runs no sender role. */
  SmsChannels smsChannels() {
    return smsChannels.get();
  }

  Future<Void> seedDemo() {
    return new DemoSeeder(pool, tokens, config.dataDir).seedOnce();
  }
}
