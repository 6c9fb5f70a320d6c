package org.qingfeng.app;

import java.nio.file.Path;
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
  public final int bodyLimit;
  public final long uploadLimit;
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

  private QingfengConfig(ConfigSource s) {
    this.source = s;
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
    this.bodyLimit = s.integer("http.body-limit", 1024, 512 * 1024 * 1024);
    this.uploadLimit = s.longValue("http.upload-limit", 1024, 16L * 1024 * 1024 * 1024);
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
    this.ledPollIntervalS = s.integer("led.poll-interval-s", 5, 3600);
    this.ledLookaheadH = s.integer("led.lookahead-h", 1, 168);
    this.ledMaxWaitS = s.integer("led.max-wait-s", 0, 300);
    this.ledMaxWaiters = s.integer("led.max-waiters", 0, 1_000_000);
    this.ledLastSeenFlushMs = s.integer("led.last-seen-flush-ms", 100, 600_000);
    this.ledOfflineGraceS = s.integer("led.offline-grace-s", 0, 86_400);
    this.ledPlaysBatchLimit = s.integer("led.plays-batch-limit", 1, 100_000);
    this.ledPlaysMaxInflight = s.integer("led.plays-max-inflight", 1, 10_000_000);
    this.ledTextMaxChars = s.integer("led.text-max-chars", 1, 100_000);
    this.ledPlayClockSkewS = s.integer("led.play-clock-skew-s", 0, 86_400);
    if (ledOfflineGraceS * 1000L < ledLastSeenFlushMs) {
      throw new ConfigException("led.offline-grace-s", "must cover led.last-seen-flush-ms, or polling screens look offline between flushes");
    }
  }

  /** Loads and validates; throws {@link ConfigException} naming the first bad key. */
  public static QingfengConfig load(Path file, Map<String, String> env) {
    return new QingfengConfig(ConfigSource.load(file, env));
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

  public boolean hasRole(Role role) {
    return roles.contains(role);
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
