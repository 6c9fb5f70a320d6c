package org.qingfeng.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.qingfeng.app.EmbeddedKafkaService;
import org.qingfeng.app.EmbeddedPostgresService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "services", mixinStandardHelpOptions = true,
    description = "Runs embedded PostgreSQL and Kafka alone, in this process, and prints their URLs, so servers "
        + "can be started, killed and restarted against them. With --only, runs just one of them, so that "
        + "PostgreSQL and Kafka can be restarted separately (two processes on the same --data-dir).")
final class ServicesCommand implements Callable<Integer> {
  /** Which of the two services this process runs. */
  enum Only { pg, kafka }

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where their data lives (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:QINGFENG_DATA_DIR:-./data}/services")
  Path dataDir;

  @Option(names = "--pg-port", description = "PostgreSQL port; 0 = a free one, remembered (default: ${DEFAULT-VALUE}).", defaultValue = "0")
  int pgPort;

  @Option(names = "--kafka-port", description = "Kafka port; 0 = a free one, remembered (default: ${DEFAULT-VALUE}).", defaultValue = "0")
  int kafkaPort;

  @Option(names = "--partitions", description = "Default partitions of new topics (default: ${DEFAULT-VALUE}).", defaultValue = "6")
  int partitions;

  @Option(names = "--only", paramLabel = "pg|kafka",
      description = "Run only PostgreSQL or only Kafka (default: both). Data and remembered ports are the same as without it.")
  Only only;

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir.toAbsolutePath().normalize();
    SignalWaiter signals = new SignalWaiter();
    EmbeddedPostgresService pg = null;
    EmbeddedKafkaService kafka = null;
    if (only != Only.kafka) {
      pg = new EmbeddedPostgresService(dir, pgPort, true).start();
      System.out.println("QINGFENG_POSTGRES_URL=postgresql://postgres@127.0.0.1:" + pg.port() + "/" + EmbeddedPostgresService.DATABASE);
    }
    if (only != Only.pg) {
      kafka = new EmbeddedKafkaService(dir, kafkaPort, partitions).start();
      System.out.println("QINGFENG_KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers());
    }
    System.out.println("# services ready (data in " + dir + "); stop with Ctrl-C or SIGTERM");
    System.out.flush();
    signals.await();
    if (kafka != null) {
      kafka.stop();
    }
    if (pg != null) {
      pg.stop();
    }
    return ExitCodes.OK;
  }
}
