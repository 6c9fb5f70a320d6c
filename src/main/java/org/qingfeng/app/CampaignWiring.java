package org.qingfeng.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Map;
import org.qingfeng.campaign.CampaignRoutes;
import org.qingfeng.campaign.CampaignService;
import org.qingfeng.campaign.CampaignSpec;
import org.qingfeng.campaign.CampaignStore;
import org.qingfeng.campaign.LedgerStore;
import org.qingfeng.campaign.LiteralTextRenderer;
import org.qingfeng.campaign.MessageRenderer;
import org.qingfeng.campaign.MessageRoutes;
import org.qingfeng.campaign.OutboundPublisher;
import org.qingfeng.campaign.SchedulerVerticle;
import org.qingfeng.campaign.SmsGateway;
import org.qingfeng.campaign.dispatch.SenderVerticle;
import org.qingfeng.db.Database;
import org.qingfeng.kafka.KafkaSettings;
import org.qingfeng.kafka.Topics;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The campaign domain's wiring: routes for the api role, the scheduler and sender verticles for their roles. */
final class CampaignWiring {
  private static final Logger LOG = LoggerFactory.getLogger(CampaignWiring.class);

  private final Vertx vertx;
  private final QingfengConfig config;
  private final MeterRegistry registry;
  private final Topics topics;
  private final Infrastructure infra;
  private final ServerHooks hooks;
  private final CampaignStore store;
  private final LedgerStore ledger;
  private final MessageRenderer renderer;
  private final SmsEncoder encoder;
  private SmsGateway gateway;
  private final SmsGateway channelGateway;

  CampaignWiring(Vertx vertx, QingfengConfig config, Pool pool, MeterRegistry registry, Topics topics,
      Infrastructure infra, ServerHooks hooks, SmsEncoder encoder, SmsGateway channelGateway) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.topics = topics;
    this.infra = infra;
    this.hooks = hooks;
    this.channelGateway = channelGateway;
    this.store = new CampaignStore(pool);
    this.ledger = new LedgerStore(pool);
    this.renderer = hooks.renderer != null ? hooks.renderer
        : new org.qingfeng.campaign.TemplateMessageRenderer(new org.qingfeng.contacts.template.TemplateStore(pool));
    this.encoder = encoder;
  }

  /** The SMPP channels, unless an embedding (a test) plugged in its own gateway. */
  private SmsGateway gateway() {
    if (gateway == null) {
      gateway = hooks.gateway != null ? hooks.gateway.apply(vertx) : channelGateway;
    }
    return gateway;
  }

  CampaignRoutes campaignRoutes() {
    CampaignService service = new CampaignService(store, ledger, renderer, encoder, gateway(), hooks.clock);
    return new CampaignRoutes(service, store, new CampaignSpec.Rules(hooks.clock, config.channelNames(),
        config.campaignDefaultMaxRate, config.campaignDefaultTimeZone));
  }

  MessageRoutes messageRoutes() {
    return new MessageRoutes(ledger);
  }

  Future<Void> deployScheduler() {
    SchedulerVerticle.Settings s = new SchedulerVerticle.Settings();
    s.tickMs = config.campaignSchedulerTickMs;
    s.lockRetryMs = config.campaignSchedulerLockRetryMs;
    s.submittingTimeout = Duration.ofSeconds(config.campaignSubmittingTimeoutSeconds);
    s.requeueOutcomeUnknown = config.campaignRequeueOutcomeUnknown;
    s.pageSize = config.campaignExpandPageSize;
    s.windowPages = config.campaignExpandWindowPages;
    s.commits = config.campaignExpandCommits;
    s.frequencyCap = config.campaignFrequencyCap;
    OutboundPublisher outbound = publisher("qingfeng-expander");
    return vertx.deployVerticle(SchedulerVerticle.create(store, ledger, outbound, renderer, encoder, hooks.clock, s,
        Database.connectOptions(infra.postgres()), registry)).mapEmpty();
  }

  Future<Void> deploySender() {
    SmsGateway gw = gateway();
    if (gw == null) {
      LOG.warn("sender role: no SMS channel is plugged into this build yet; campaign messages stay queued");
      return Future.succeededFuture();
    }
    SenderVerticle.Settings s = new SenderVerticle.Settings();
    s.chunk = config.senderChunk;
    s.concurrency = config.senderConcurrency;
    s.maxAttempts = config.senderMaxAttempts;
    s.requeueOutcomeUnknown = config.campaignRequeueOutcomeUnknown;
    s.submittingTimeout = Duration.ofSeconds(config.campaignSubmittingTimeoutSeconds);
    Map<String, String> consumer = KafkaSettings.consumer(infra.kafkaBootstrap(), config.kafkaTopicPrefix + "qingfeng-sender",
        "qingfeng-sender");
    consumer.put("max.poll.records", Integer.toString(config.senderPollRecords));
    // A killed sender's partitions move to the survivors (or its restart) within 10 s, not the client's default 45 s.
    consumer.put("session.timeout.ms", "10000");
    consumer.put("heartbeat.interval.ms", "3000");
    return vertx.deployVerticle(new SenderVerticle(consumer, topics.smsOutbound, topics.dlq, ledger, store,
        publisher("qingfeng-sender-retry"), gw, hooks.clock, s, registry)).mapEmpty();
  }

  private OutboundPublisher publisher(String clientId) {
    Map<String, String> settings = KafkaSettings.producer(infra.kafkaBootstrap(), clientId);
    settings.putAll(OutboundPublisher.PRODUCER_SETTINGS);
    KafkaProducer<String, String> producer = KafkaProducer.create(vertx, settings);
    return new OutboundPublisher(vertx, producer, topics.smsOutbound, hooks.clock);
  }

  org.qingfeng.campaign.CampaignStore store() {
    return store;
  }

  org.qingfeng.campaign.LedgerStore ledger() {
    return ledger;
  }
}
