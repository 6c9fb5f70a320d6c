package org.qingfeng.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.function.Consumer;
import org.qingfeng.auth.AdminTokenBootstrap;
import org.qingfeng.auth.AuditHandler;
import org.qingfeng.auth.AuditLog;
import org.qingfeng.auth.AuditRoutes;
import org.qingfeng.auth.AuthHandler;
import org.qingfeng.auth.TokenRoutes;
import org.qingfeng.auth.TokenStore;
import org.qingfeng.contacts.ContactRoutes;
import org.qingfeng.contacts.ContactStore;
import org.qingfeng.contacts.InboundOptOutVerticle;
import org.qingfeng.contacts.OptOutKeywords;
import org.qingfeng.contacts.OptOutRoutes;
import org.qingfeng.contacts.OptOutStore;
import org.qingfeng.contacts.PhoneNumbers;
import org.qingfeng.contacts.template.TemplateRoutes;
import org.qingfeng.contacts.template.TemplateStore;
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
import org.qingfeng.ops.OpsRoutes;
import org.qingfeng.ops.OpsWiring;
import org.qingfeng.led.LedHealth;
import org.qingfeng.ops.ReadinessCheck;
import java.util.concurrent.atomic.AtomicReference;
import org.qingfeng.campaign.dispatch.SmppSmsGateway;
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
  /** CSV export slots, shared by every HTTP verticle instance's router. */
  private final Semaphore csvExports = ReceiptRoutes.exportSlots();
  private final KafkaAdminClient kafkaAdmin;
  private final PrometheusMeterRegistry registry;
  private final Topics topics;
  private final Infrastructure infra;
  private final Supplier<String> notReadyReason;
  private final TokenStore tokens;
  private final AuditLog audit;
  private final SmsEncoder smsEncoder;
  private final AtomicReference<SmsChannels> smsChannels = new AtomicReference<>();
  private final CampaignWiring campaigns;
  private final PhoneNumbers phoneNumbers;
  private final ContactStore contacts;
  private final OptOutStore optOuts;
  private final AtomicReference<ReceiptSinkVerticle> receiptSink = new AtomicReference<>();
  private final LedStore ledStore;
  private final LedContentStore ledContent;
  private final LedPlayStore ledPlays;
  private final LedRuntime ledRuntime;
  private final PlayPublisher playPublisher;
  private final OpsWiring ops;

  AppServices(Vertx vertx, QingfengConfig config, Pool pool, KafkaAdminClient kafkaAdmin,
      PrometheusMeterRegistry registry, Topics topics, Infrastructure infra, Supplier<String> notReadyReason,
      ServerHooks hooks) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.kafkaAdmin = kafkaAdmin;
    this.registry = registry;
    this.topics = topics;
    this.infra = infra;
    this.notReadyReason = notReadyReason;
    this.tokens = new TokenStore(pool);
    this.audit = new AuditLog(pool);
    this.smsEncoder = new SmsEncoder(config.smsMaxParts, config.smsConcatReferenceBits == 16);
    this.campaigns = new CampaignWiring(vertx, config, pool, registry, topics, infra, hooks, smsEncoder,
        new SmppSmsGateway(smsChannels::get));
    this.phoneNumbers = new PhoneNumbers(config.contactsDefaultRegion);
    this.contacts = new ContactStore(pool);
    this.optOuts = new OptOutStore(pool);
    this.ledStore = new LedStore(pool);
    this.ledContent = new LedContentStore(pool);
    this.ledPlays = new LedPlayStore(pool);
    this.ledRuntime = new LedRuntime(vertx, ledStore, LedSettings.from(config));
    if (config.hasRole(QingfengConfig.Role.LED) || config.hasRole(QingfengConfig.Role.SINK)) {
      // jsoniter builds its PlayRecord codec on first use (1-4 s): here, on the boot thread, not an event loop.
      PlayRecord.warmUpCodec();
    }
    this.ops = new OpsWiring(new OpsWiring.Settings(config.opsDeliveryRateAlertPercent,
        config.opsDeliveryRateAlertMinOutcomes, config.opsChannelUnboundAlertS, config.opsStreamMaxClients,
        config.opsStreamClientBufferBytes, config.opsStreamSlowClientMs), campaigns.store(), campaigns.ledger(),
        new ReceiptQueries(pool), smsChannels::get, new LedHealth(ledStore, ledRuntime), tokens, registry);
    // Built here, on the boot thread: the Kafka client's constructor blocks for a while.
    this.playPublisher = config.hasRole(QingfengConfig.Role.LED)
        ? new PlayPublisher(vertx, infra.kafkaBootstrap(), topics.ledPlays, config.ledPlaysMaxInflight) : null;
  }

  Future<Void> bootstrapSecrets(Consumer<String> printer) {
    return AdminTokenBootstrap.run(tokens, config.adminToken, printer);
  }

  /** The HTTP server's handler: the LED poll's unchanged-playlist fast path, then the router. */
  io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> requestHandler() {
    Router router = router();
    if (playPublisher == null) {
      return router;
    }
    org.qingfeng.led.PlaylistFastPath fast = new org.qingfeng.led.PlaylistFastPath(ledRuntime);
    return req -> {
      if (!fast.tryAnswer(req)) {
        router.handle(req);
      }
    };
  }

  Router router() {
    RouterAssembly assembly = new RouterAssembly(config.bodyLimit, config.bodyTimeoutMs)
        .apiGuard(new AuditHandler(audit))
        .apiGuard(new AuthHandler(tokens, java.util.Set.of(OpsRoutes.STREAM_PATH)))
        .api(new TokenRoutes(tokens)::mount)
        .api(new AuditRoutes(audit)::mount)
        .api(new SmsPreviewRoutes(smsEncoder())::mount)
        .api(new SmsRoutes(smsChannels::get, smsEncoder(), config.contactsDefaultRegion)::mount)
        .api(campaigns.campaignRoutes()::mount)
        .api(campaigns.messageRoutes()::mount)
        .streamedBody(ContactRoutes.IMPORT_PATH)
        .api(new ContactRoutes(pool, contacts, phoneNumbers, config.uploadLimit,
            config.contactsImportMaxRows, config.contactsImportBatchSize)::mount)
        .api(new OptOutRoutes(optOuts, phoneNumbers)::mount)
        .api(new TemplateRoutes(new TemplateStore(pool), contacts,
            smsEncoder(), config.smsMaxParts)::mount)
        .api(new ReceiptRoutes(new ReceiptQueries(pool), new LedgerRecipients(pool), csvExports)::mount)
        .root(new HealthRoutes(new ReadinessCheck(pool, kafkaAdmin), notReadyReason)::mount)
        .root(new OpenApiRoutes()::mount)
        .streamedBody(LedContentRoutes.IMPORT_PATH_REGEX)
        .api(new LedScreenRoutes(ledStore, ledRuntime)::mount)
        .api(new LedContentRoutes(ledContent, ledRuntime, new RuleImporter(pool, ledRuntime, config.uploadLimit))::mount)
        .api(new LedAlertRoutes(ledContent, ledPlays, ledRuntime)::mount)
        .api(ops.routes()::mountApi)
        .root(ops.routes()::mountRoot);
    if (playPublisher != null) {
      assembly.root(new LedDeviceRoutes(ledRuntime, ledStore, new PlayIntake(ledRuntime, ledPlays, playPublisher))::mount);
    }
    if (config.metricsEnabled) {
      assembly.root(new MetricsRoutes(registry)::mount);
    }
    return assembly.build(vertx);
  }

  /** The server's one encoder (stateless), built from sms.max-parts and sms.concat-reference-bits. */
  SmsEncoder smsEncoder() {
    return smsEncoder;
  }

  Future<Void> deployRoleVerticles() {
    Future<Void> deployed = Future.succeededFuture();
    if (config.hasRole(QingfengConfig.Role.SENDER)) {
      // Channels first: the campaign sender submits through them.
      SmsChannelsVerticle channels = new SmsChannelsVerticle(config, infra.kafkaBootstrap(), registry, smsEncoder());
      deployed = deployed.compose(v -> vertx.deployVerticle(channels))
          .compose(id -> channels.channels())
          .map(c -> {
            smsChannels.set(c);
            return null;
          });
    }
    if (config.hasRole(QingfengConfig.Role.SCHEDULER)) {
      deployed = deployed.compose(v -> campaigns.deployScheduler());
    }
    if (config.hasRole(QingfengConfig.Role.SENDER)) {
      deployed = deployed.compose(v -> campaigns.deploySender());
    }
    if (config.hasRole(QingfengConfig.Role.SINK)) {
      deployed = deployed.compose(v -> vertx.deployVerticle(new InboundOptOutVerticle(infra.kafkaBootstrap(), topics,
          config.kafkaTopicPrefix + "qingfeng.opt-out", optOuts, phoneNumbers,
          new OptOutKeywords(config.contactsOptOutKeywords)))).mapEmpty();
    }
    if (config.hasRole(QingfengConfig.Role.SINK)) {
      ReceiptSinkVerticle sink = new ReceiptSinkVerticle(receiptSinkOptions(), pool, registry, java.time.Clock.systemUTC());
      deployed = deployed.compose(v -> vertx.deployVerticle(sink)).map(id -> {
        receiptSink.set(sink);
        return null;
      });
    }
    if (config.hasRole(QingfengConfig.Role.LED)) {
      deployed = deployed.compose(v -> vertx.deployVerticle(new LedVerticle(ledRuntime, ledStore,
          Database.connectOptions(infra.postgres()), playPublisher))).mapEmpty();
    }
    if (config.hasRole(QingfengConfig.Role.SINK)) {
      deployed = deployed.compose(v -> vertx.deployVerticle(new PlaySinkVerticle(ledPlays, infra.kafkaBootstrap(),
          topics.ledPlays, topics.dlq, topics.ledPlays + ".sink"))).mapEmpty();
    }
    if (config.hasRole(QingfengConfig.Role.API)) {
      // The one collector behind /api/v1/ops/stream and the qingfeng_ops_* meters.
      deployed = deployed.compose(v -> ops.deployCollector(vertx));
    }
    return deployed;
  }

  ReceiptSinkOptions receiptSinkOptions() {
    ReceiptSinkOptions o = new ReceiptSinkOptions(infra.kafkaBootstrap(), topics.smsEvents, topics.dlq);
    // Prefixed like every other group of the server: deployments (and tests) sharing a broker under different
    // topic prefixes must not share the sink's group, or one's departure stalls the other's rebalance.
    o.groupId = config.kafkaTopicPrefix + config.receiptsConsumerGroup;
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
