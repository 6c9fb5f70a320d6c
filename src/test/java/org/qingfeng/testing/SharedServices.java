package org.qingfeng.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.qingfeng.app.EmbeddedKafkaService;
import org.qingfeng.app.EmbeddedPostgresService;

/**
 * One embedded PostgreSQL and one Kafka broker per test JVM, started on first use and stopped
 * when the JVM ends. Test classes isolate themselves with their own database and topic prefix.
 */
final class SharedServices {
  private static SharedServices instance;

  final Path dir;
  final EmbeddedPostgresService postgres;
  final EmbeddedKafkaService kafka;

  private SharedServices() throws IOException {
    dir = Files.createTempDirectory("qingfeng-test-");
    postgres = new EmbeddedPostgresService(dir, 0, false);
    kafka = new EmbeddedKafkaService(dir, 0, 3);
    Thread kafkaStart = new Thread(() -> {
      try {
        kafka.start();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }, "test-kafka-start");
    kafkaStart.start();
    postgres.start();
    try {
      kafkaStart.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "test-services-stop"));
  }

  static synchronized SharedServices get() throws IOException {
    if (instance == null) {
      instance = new SharedServices();
    }
    return instance;
  }

  private void shutdown() {
    try {
      kafka.stop();
    } catch (RuntimeException ignored) {
      // the JVM is ending either way
    }
    try {
      postgres.stop();
    } catch (IOException | RuntimeException ignored) {
      // the JVM is ending either way
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp files are the OS's to clean up now
    }
  }
}
