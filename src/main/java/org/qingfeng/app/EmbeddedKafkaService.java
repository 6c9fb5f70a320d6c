package org.qingfeng.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka KRaft broker (same version as the clients vertx-kafka-client brings),
 * running in this JVM with its log in {@code dataDir/kafka}, kept across restarts.
 */
public final class EmbeddedKafkaService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaService.class);

  private final Path logDir;
  private final Path baseDir;
  private final int port;
  private final int controllerPort;
  private final int defaultPartitions;
  private KafkaRaftServer server;

  public EmbeddedKafkaService(Path baseDir, int configuredPort, int defaultPartitions) throws IOException {
    this.baseDir = baseDir;
    this.logDir = baseDir.resolve("kafka");
    this.port = PortFile.choose(baseDir.resolve("kafka.port"), configuredPort);
    int controller = PortFile.choose(baseDir.resolve("kafka-controller.port"), 0);
    this.controllerPort = controller == port ? PortFile.freePort() : controller;
    this.defaultPartitions = defaultPartitions;
  }

  public synchronized EmbeddedKafkaService start() throws IOException {
    if (server != null) {
      return this;
    }
    Files.createDirectories(logDir);
    Properties props = brokerProperties();
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      Path file = baseDir.resolve("kafka-server.properties");
      try (OutputStream out = Files.newOutputStream(file)) {
        props.store(out, "embedded KRaft broker");
      }
      int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString(), "--ignore-formatted"});
      if (rc != 0) {
        throw new IOException("formatting the Kafka log directory " + logDir + " failed (exit " + rc + ")");
      }
    }
    server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
    server.startup();
    PortFile.remember(baseDir.resolve("kafka.port"), port);
    PortFile.remember(baseDir.resolve("kafka-controller.port"), controllerPort);
    LOG.info("embedded Kafka broker (KRaft) on {} (data {})", bootstrapServers(), logDir);
    return this;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public synchronized void stop() {
    if (server != null) {
      try {
        server.shutdown();
        server.awaitShutdown();
      } finally {
        server = null;
      }
    }
  }

  private Properties brokerProperties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", Integer.toString(defaultPartitions));
    // A single node: without these, consumer groups and transactions wait forever for replicas.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "10");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("log.flush.interval.ms", "1000");
    p.put("log.retention.hours", "168");
    // The broker shares the server's heap: the log cleaner's default 128 MB dedupe buffer alone
    // made a -Xmx256m server die at start (only __consumer_offsets is compacted here).
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    return p;
  }

  @Override
  public void close() {
    stop();
  }
}
