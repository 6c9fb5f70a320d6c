package org.qingfeng.app;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves where Postgres and Kafka are: the configured ones, or embedded services started
 * here (in parallel, since each takes seconds). Owns the embedded ones and stops them last.
 */
public final class Infrastructure implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);

  private final EmbeddedPostgresService embeddedPostgres;
  private final EmbeddedKafkaService embeddedKafka;
  private final PostgresUrl postgres;
  private final String kafkaBootstrap;

  private Infrastructure(EmbeddedPostgresService pg, EmbeddedKafkaService kafka, PostgresUrl postgres, String kafkaBootstrap) {
    this.embeddedPostgres = pg;
    this.embeddedKafka = kafka;
    this.postgres = postgres;
    this.kafkaBootstrap = kafkaBootstrap;
  }

  public static Infrastructure start(QingfengConfig cfg) throws IOException {
    Files.createDirectories(cfg.dataDir);
    EmbeddedPostgresService pg = cfg.embeddedPostgres()
        ? new EmbeddedPostgresService(cfg.dataDir, cfg.postgresEmbeddedPort, true) : null;
    EmbeddedKafkaService kafka = cfg.embeddedKafka()
        ? new EmbeddedKafkaService(cfg.dataDir, cfg.kafkaEmbeddedPort, cfg.kafkaPartitions) : null;
    CompletableFuture<Void> kafkaStarted = kafka == null ? CompletableFuture.completedFuture(null)
        : CompletableFuture.runAsync(() -> {
          try {
            kafka.start();
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        });
    try {
      if (pg != null) {
        pg.start();
      }
      kafkaStarted.join();
    } catch (IOException | RuntimeException e) {
      kafkaStarted.handle((v, err) -> null).join();
      if (kafka != null) {
        kafka.stop();
      }
      if (pg != null) {
        pg.stop();
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      throw new IOException("embedded services did not start: " + cause.getMessage(), cause);
    }
    PostgresUrl url = pg != null ? pg.url() : PostgresUrl.parse(cfg.postgresUrl, "postgres.url").withPassword(cfg.postgresPassword);
    String bootstrap = kafka != null ? kafka.bootstrapServers() : cfg.kafkaBootstrapServers;
    return new Infrastructure(pg, kafka, url, bootstrap);
  }

  public PostgresUrl postgres() {
    return postgres;
  }

  public String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  public List<String> embeddedParts() {
    List<String> parts = new ArrayList<>();
    if (embeddedPostgres != null) {
      parts.add("postgres");
    }
    if (embeddedKafka != null) {
      parts.add("kafka");
    }
    return parts;
  }

  @Override
  public void close() {
    if (embeddedKafka != null) {
      try {
        embeddedKafka.stop();
      } catch (RuntimeException e) {
        LOG.warn("embedded Kafka did not stop cleanly: {}", e.toString());
      }
    }
    if (embeddedPostgres != null) {
      try {
        embeddedPostgres.stop();
      } catch (IOException | RuntimeException e) {
        LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
      }
    }
  }
}
