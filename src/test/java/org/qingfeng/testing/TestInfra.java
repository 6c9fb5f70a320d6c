package org.qingfeng.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.qingfeng.app.PostgresUrl;
import org.qingfeng.app.QingfengConfig;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.app.ServerHooks;

/**
 * What one test class gets: its own database on the shared embedded PostgreSQL, its own topic
 * prefix and group-id prefix on the shared Kafka broker, and its own data directory.
 */
public final class TestInfra {
  public static final String ADMIN_TOKEN = "qf_test-admin-token-0123456789abcdef";
  private static final AtomicInteger SEQ = new AtomicInteger();

  private final SharedServices shared;
  private final PostgresUrl database;
  private final String topicPrefix;
  private final Path dataDir;

  TestInfra(SharedServices shared, String owner) throws Exception {
    this.shared = shared;
    int n = SEQ.incrementAndGet();
    String slug = owner.replaceAll("[^A-Za-z0-9]", "").toLowerCase();
    slug = slug.length() > 40 ? slug.substring(slug.length() - 40) : slug;
    this.database = shared.postgres.createDatabase("t" + n + "_" + slug);
    this.topicPrefix = "t" + n + "-" + slug + "-" + System.nanoTime() % 100000 + ".";
    this.dataDir = Files.createDirectories(shared.dir.resolve("data-" + n + "-" + slug));
  }

  public PostgresUrl database() {
    return database;
  }

  public String kafkaBootstrap() {
    return shared.kafka.bootstrapServers();
  }

  public String topicPrefix() {
    return topicPrefix;
  }

  public String groupId(String name) {
    return topicPrefix + name;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Environment for a server of this class: shared services, own database and topics, an ephemeral port. */
  public Map<String, String> serverEnv(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("QINGFENG_POSTGRES_URL", "postgresql://" + database.user + "@" + database.host + ":" + database.port + "/" + database.database);
    env.put("QINGFENG_KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap());
    env.put("QINGFENG_KAFKA_TOPIC_PREFIX", topicPrefix);
    env.put("QINGFENG_KAFKA_PARTITIONS", "3");
    env.put("QINGFENG_HTTP_HOST", "127.0.0.1");
    env.put("QINGFENG_HTTP_PORT", "0");
    env.put("QINGFENG_DATA_DIR", dataDir.toString());
    env.put("QINGFENG_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("QINGFENG_SHUTDOWN_GRACE_SECONDS", "1");
    env.put("QINGFENG_POSTGRES_POOL_SIZE", "4");
    env.putAll(overrides);
    return env;
  }

  public QingfengServer startServer(Map<String, String> overrides) throws Exception {
    return QingfengServer.start(QingfengConfig.load(null, serverEnv(overrides)), token -> { });
  }

  /** A server with plugged-in parts (fake clock, recording SMS gateway, ...). */
  public QingfengServer startServer(Map<String, String> overrides, ServerHooks hooks) throws Exception {
    return QingfengServer.start(QingfengConfig.load(null, serverEnv(overrides)), token -> { }, hooks);
  }

  public QingfengServer startServer() throws Exception {
    return startServer(Map.of());
  }
}
