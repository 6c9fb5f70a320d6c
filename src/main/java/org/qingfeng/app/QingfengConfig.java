package org.qingfeng.app;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The validated configuration of one server instance. Built once at start; immutable. */
public final class QingfengConfig {
  public enum Role { API, SCHEDULER, SENDER, SINK, LED }

  private final ConfigSource source;
  public final Path dataDir;
  public final String adminToken;
  public final boolean demo;
  public final Set<Role> roles;
  public final String httpHost;
  public final int httpPort;
  /** HTTP server verticle instances sharing the port (one per event loop they run on). */
  public final int httpInstances;
  /** Netty's native epoll transport where available (Linux x86-64), else NIO. */
  public final boolean nativeTransport;
  public final int bodyLimit;
  public final long uploadLimit;
  /** A buffered body must arrive within this; a streamed upload must not stall for longer (408). */
  public final long bodyTimeoutMs;
  public final String postgresUrl;
  public final String postgresPassword;
  public final int postgresPoolSize;
  public final int postgresEmbeddedPort;
  public final String kafkaBootstrapServers;
  public final String kafkaTopicPrefix;
  public final int kafkaPartitions;
  public final short kafkaReplicationFactor;
  public final int kafkaEmbeddedPort;
  public final boolean metricsEnabled;
  public final int shutdownGraceSeconds;
  public final int smsMaxParts;
  public final int smsConcatReferenceBits;
  public final List<Map<String, Object>> smsChannels;
  public final long simulatorReceiptDelayMs;
  public final String simulatorReceiptMix;
  public final int simulatorReceiptThreads;
  public final int simulatorHttpPort;
  public final int receiptsBatchSize;
  public final long receiptsBatchLingerMs;
  public final String receiptsConsumerGroup;
  public final long receiptsUnmatchedAfterMs;
  public final long receiptsUnknownAfterMs;
  public final long receiptsSweepIntervalMs;
  /** The environment the configuration was read from (channel passwords are looked up in it). */
  public final Map<String, String> environment;
  public final int campaignFrequencyCap;
  public final int campaignDefaultMaxRate;
  public final ZoneId campaignDefaultTimeZone;
  public final int campaignExpandPageSize;
  public final int campaignExpandWindowPages;
  public final int campaignExpandCommits;
  public final int campaignSchedulerTickMs;
  public final int campaignSchedulerLockRetryMs;
  public final int campaignSubmittingTimeoutSeconds;
  public final boolean campaignRequeueOutcomeUnknown;
  public final int senderPollRecords;
  public final int senderChunk;
  public final int senderConcurrency;
  public final int senderMaxAttempts;
  public final String contactsDefaultRegion;
  public final List<String> contactsOptOutKeywords;
  public final int contactsImportMaxRows;
  public final int contactsImportBatchSize;
  public final int ledPollIntervalS;
  public final int ledLookaheadH;
  public final int ledMaxWaitS;
  public final int ledMaxWaiters;
  public final int ledLastSeenFlushMs;
  public final int ledOfflineGraceS;
  public final int ledPlaysBatchLimit;
  public final int ledPlaysMaxInflight;
  public final int ledTextMaxChars;
  public final int ledPlayClockSkewS;
  public final int opsDeliveryRateAlertPercent;
  public final int opsDeliveryRateAlertMinOutcomes;
  public final int opsChannelUnboundAlertS;
  public final int opsStreamMaxClients;
  public final int opsStreamClientBufferBytes;
  public final int opsStreamSlowClientMs;

  private QingfengConfig(ConfigSource s, Map<String, String> env) {
    this.source = s;
    this.environment = Map.copyOf(env);
    String dir = s.string("data-dir");
    if (dir.isEmpty()) {
      throw new ConfigException("data-dir", "must not be empty");
    }
    this.dataDir = Path.of(dir).toAbsolutePath().normalize();
    this.adminToken = s.string("admin-token");
    if (!adminToken.isEmpty() && adminToken.length() < 16) {
      throw new ConfigException("admin-token", "is too short (at least 16 characters)");
    }
    this.demo = s.bool("demo");
    this.roles = parseRoles(s.string("roles"));
    this.httpHost = s.string("http.host");
    this.httpPort = s.integer("http.port", 0, 65535);
    int instances = s.integer("http.instances", 0, 64);
    this.httpInstances = instances == 0 ? Runtime.getRuntime().availableProcessors() : instances;
    this.nativeTransport = s.bool("http.native-transport");
    this.bodyLimit = s.integer("http.body-limit", 1024, 512 * 1024 * 1024);
    this.uploadLimit = s.longValue("http.upload-limit", 1024, 16L * 1024 * 1024 * 1024);
    this.bodyTimeoutMs = s.longValue("http.body-timeout-ms", 100, 3_600_000);
    this.postgresUrl = s.string("postgres.url");
    if (!postgresUrl.isEmpty()) {
      PostgresUrl.parse(postgresUrl, "postgres.url");
    }
    this.postgresPassword = s.string("postgres.password");
    this.postgresPoolSize = s.integer("postgres.pool-size", 1, 1000);
    this.postgresEmbeddedPort = s.integer("postgres.embedded-port", 0, 65535);
    this.kafkaBootstrapServers = s.string("kafka.bootstrap-servers");
    validateBootstrap(kafkaBootstrapServers);
    this.kafkaTopicPrefix = s.string("kafka.topic-prefix");
    if (!kafkaTopicPrefix.matches("[A-Za-z0-9._-]*")) {
      throw new ConfigException("kafka.topic-prefix", "may hold only letters, digits, '.', '_' and '-'");
    }
    this.kafkaPartitions = s.integer("kafka.partitions", 1, 1000);
    this.kafkaReplicationFactor = (short) s.integer("kafka.replication-factor", 1, 10);
    this.kafkaEmbeddedPort = s.integer("kafka.embedded-port", 0, 65535);
    this.metricsEnabled = s.bool("metrics.enabled");
    this.shutdownGraceSeconds = s.integer("shutdown.grace-seconds", 0, 60);
    this.smsMaxParts = s.integer("sms.max-parts", 1, 255);
    this.smsConcatReferenceBits = s.integer("sms.concat-reference-bits", 8, 16);
    if (smsConcatReferenceBits != 8 && smsConcatReferenceBits != 16) {
      throw new ConfigException("sms.concat-reference-bits", "must be 8 or 16");
    }
    this.smsChannels = s.listOfMaps("sms.channels");
    this.simulatorReceiptDelayMs = s.longValue("sms.simulator.receipt-delay-ms", 0, 3_600_000);
    this.simulatorReceiptMix = s.string("sms.simulator.receipt-mix");
    this.simulatorReceiptThreads = s.integer("sms.simulator.receipt-threads", 1, 256);
    try {
      org.qingfeng.sim.ReceiptMix.parse(simulatorReceiptMix);
    } catch (RuntimeException e) {
      throw new ConfigException("sms.simulator.receipt-mix", e.getMessage());
    }
    this.simulatorHttpPort = s.integer("sms.simulator.http-port", -1, 65535);
    this.campaignFrequencyCap = s.integer("campaign.frequency-cap-per-day", 0, 1000);
    this.campaignDefaultMaxRate = s.integer("campaign.default-max-rate", 1, 10_000);
    String zone = s.string("campaign.default-time-zone");
    try {
      this.campaignDefaultTimeZone = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new ConfigException("campaign.default-time-zone", "'" + zone + "' is not a known time zone (e.g. Asia/Shanghai)");
    }
    this.campaignExpandPageSize = s.integer("campaign.expand-page-size", 10, 50_000);
    this.campaignExpandWindowPages = s.integer("campaign.expand-window-pages", 1, 64);
    this.campaignExpandCommits = s.integer("campaign.expand-commits", 1, 8);
    this.campaignSchedulerTickMs = s.integer("campaign.scheduler-tick-ms", 20, 1000);
    this.campaignSchedulerLockRetryMs = s.integer("campaign.scheduler-lock-retry-ms", 100, 600_000);
    this.campaignSubmittingTimeoutSeconds = s.integer("campaign.submitting-timeout-seconds", 1, 86_400);
    String policy = s.string("campaign.outcome-unknown-policy");
    if (!policy.equals("requeue") && !policy.equals("fail")) {
      throw new ConfigException("campaign.outcome-unknown-policy", "must be requeue or fail, not '" + policy + "'");
    }
    this.campaignRequeueOutcomeUnknown = policy.equals("requeue");
    this.senderPollRecords = s.integer("campaign.sender.poll-records", 1, 10_000);
    this.senderChunk = s.integer("campaign.sender.chunk", 1, 10_000);
    this.senderConcurrency = s.integer("campaign.sender.concurrency", 1, 10_000);
    this.senderMaxAttempts = s.integer("campaign.sender.max-attempts", 1, 100);
    this.contactsDefaultRegion = s.string("contacts.default-region").toUpperCase(Locale.ROOT);
    if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(contactsDefaultRegion)) {
      throw new ConfigException("contacts.default-region",
          "'" + contactsDefaultRegion + "' is not a region libphonenumber knows (use an ISO 3166 code such as CN)");
    }
    this.contactsOptOutKeywords = parseKeywords(s.string("contacts.opt-out-keywords"));
    this.contactsImportMaxRows = s.integer("contacts.import-max-rows", 1, 10_000_000);
    this.contactsImportBatchSize = s.integer("contacts.import-batch-size", 100, 50_000);
    this.receiptsBatchSize = s.integer("receipts.batch-size", 1, 50_000);
    this.receiptsBatchLingerMs = s.longValue("receipts.batch-linger-ms", 1, 60_000);
    this.receiptsConsumerGroup = s.string("receipts.consumer-group");
    if (receiptsConsumerGroup.isEmpty()) {
      throw new ConfigException("receipts.consumer-group", "must not be empty");
    }
    this.receiptsUnmatchedAfterMs = duration(s, "receipts.unmatched-after", 1_000, 30L * 86_400_000);
    this.receiptsUnknownAfterMs = duration(s, "receipts.unknown-after", 60_000, 30L * 86_400_000);
    this.receiptsSweepIntervalMs = duration(s, "receipts.sweep-interval", 100, 86_400_000);
    this.ledPollIntervalS = s.integer("led.poll-interval-s", 5, 3600);
    this.ledLookaheadH = s.integer("led.lookahead-h", 1, 168);
    this.ledMaxWaitS = s.integer("led.max-wait-s", 0, 60);
    this.ledMaxWaiters = s.integer("led.max-waiters", 0, 1_000_000);
    this.ledLastSeenFlushMs = s.integer("led.last-seen-flush-ms", 100, 600_000);
    this.ledOfflineGraceS = s.integer("led.offline-grace-s", 0, 86_400);
    this.ledPlaysBatchLimit = s.integer("led.plays-batch-limit", 1, 100_000);
    this.ledPlaysMaxInflight = s.integer("led.plays-max-inflight", 1, 10_000_000);
    this.ledTextMaxChars = s.integer("led.text-max-chars", 1, 100_000);
    this.ledPlayClockSkewS = s.integer("led.play-clock-skew-s", 0, 86_400);
    this.opsDeliveryRateAlertPercent = s.integer("ops.delivery-rate-alert-percent", 0, 100);
    this.opsDeliveryRateAlertMinOutcomes = s.integer("ops.delivery-rate-alert-min-outcomes", 1, 100_000_000);
    this.opsChannelUnboundAlertS = s.integer("ops.channel-unbound-alert-s", 1, 86_400);
    this.opsStreamMaxClients = s.integer("ops.stream.max-clients", 1, 100_000);
    this.opsStreamClientBufferBytes = s.integer("ops.stream.client-buffer-bytes", 1024, 64 * 1024 * 1024);
    this.opsStreamSlowClientMs = s.integer("ops.stream.slow-client-ms", 1000, 600_000);
    if (ledOfflineGraceS * 1000L < ledLastSeenFlushMs) {
      throw new ConfigException("led.offline-grace-s", "must cover led.last-seen-flush-ms, or polling screens look offline between flushes");
    }
  }

  /** Loads and validates; throws {@link ConfigException} naming the first bad key. */
  public static QingfengConfig load(Path file, Map<String, String> env) {
    QingfengConfig config = new QingfengConfig(ConfigSource.load(file, env), env);
    org.qingfeng.sms.SmsChannels.configured(config);
    return config;
  }

  public ConfigSource source() {
    return source;
  }

  public boolean embeddedPostgres() {
    return postgresUrl.isEmpty();
  }

  public boolean embeddedKafka() {
    return kafkaBootstrapServers.isEmpty();
  }

  /** Channel names a campaign may use: "default" plus every named entry of sms.channels. */
  public Set<String> channelNames() {
    Set<String> names = new java.util.TreeSet<>();
    names.add("default");
    for (Map<String, Object> ch : smsChannels) {
      Object name = ch.get("name");
      if (name != null && !name.toString().isBlank()) {
        names.add(name.toString().trim());
      }
    }
    return names;
  }

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }

  /** A duration such as 500ms, 90s, 30m, 48h or 2d, in milliseconds. */
  static long duration(ConfigSource s, String key, long minMs, long maxMs) {
    String v = s.string(key).toLowerCase(Locale.ROOT);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,12})(ms|s|m|h|d)").matcher(v);
    if (!m.matches()) {
      throw new ConfigException(key, "'" + v + "' is not a duration such as 90s, 30m, 48h or 2d");
    }
    long n = Long.parseLong(m.group(1));
    long unit = switch (m.group(2)) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      default -> 86_400_000L;
    };
    long ms = n * unit;
    if (ms < minMs || ms > maxMs) {
      throw new ConfigException(key, "'" + v + "' is out of range " + minMs + " ms .. " + maxMs / 86_400_000 + " days");
    }
    return ms;
  }

  private static Set<Role> parseRoles(String spec) {
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : spec.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      try {
        roles.add(Role.valueOf(name.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("roles", "unknown role '" + name + "' (known: api, scheduler, sender, sink, led)");
      }
    }
    if (roles.isEmpty()) {
      throw new ConfigException("roles", "must name at least one role");
    }
    return roles;
  }

  private static List<String> parseKeywords(String spec) {
    List<String> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String k = part.trim();
      if (k.isEmpty()) {
        continue;
      }
      if (k.length() > 20) {
        throw new ConfigException("contacts.opt-out-keywords", "keyword '" + k + "' is longer than 20 characters");
      }
      out.add(k);
    }
    if (out.isEmpty()) {
      throw new ConfigException("contacts.opt-out-keywords", "must name at least one keyword (e.g. TD,退订,STOP)");
    }
    return List.copyOf(out);
  }

  private static void validateBootstrap(String servers) {
    if (servers.isEmpty()) {
      return;
    }
    for (String hp : servers.split(",")) {
      String s = hp.trim();
      int colon = s.lastIndexOf(':');
      if (colon <= 0) {
        throw new ConfigException("kafka.bootstrap-servers", "'" + s + "' is not host:port");
      }
      try {
        int port = Integer.parseInt(s.substring(colon + 1));
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new ConfigException("kafka.bootstrap-servers", "'" + s + "' has no valid port");
      }
    }
  }
}
