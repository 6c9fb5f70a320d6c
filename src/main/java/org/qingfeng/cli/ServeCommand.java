package org.qingfeng.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.qingfeng.app.QingfengConfig;
import org.qingfeng.app.QingfengServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Runs the server. Without postgres.url / kafka.bootstrap-servers it starts embedded "
        + "PostgreSQL and Kafka (data in data-dir); without SMPP channels it uses the built-in SMSC simulator.")
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML configuration (default: conf/qingfeng.yaml when present). Environment variables QINGFENG_* override it.")
  Path config;

  @Option(names = "--demo", description = "Seed a demo county on first start.")
  boolean demo;

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (demo) {
      env.put("QINGFENG_DEMO", "true");
    }
    Path file = config != null ? config : (Files.isRegularFile(Path.of("conf/qingfeng.yaml")) ? Path.of("conf/qingfeng.yaml") : null);
    QingfengConfig cfg = QingfengConfig.load(file, env);
    SignalWaiter signals = new SignalWaiter();
    QingfengServer server = QingfengServer.start(cfg, token -> {
      System.out.println();
      System.out.println("  First admin token (shown once, store it now):");
      System.out.println("  " + token);
      System.out.println();
      System.out.flush();
    });
    String signal = signals.await();
    LOG.info("{} received: stopping", signal);
    server.stop();
    return ExitCodes.OK;
  }
}
