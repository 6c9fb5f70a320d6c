package org.qingfeng.cli;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import org.qingfeng.led.sim.LedSimulator;
import org.qingfeng.led.sim.PlayLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "led-sim", mixinStandardHelpOptions = true,
    description = "Simulates a fleet of LED controllers: enrol (or use given secrets), poll and long-poll, "
        + "'show' items for their dwell time, post proof of play, and print a summary each second.")
final class LedSimCommand implements Callable<Integer> {
  @Option(names = "--screens", required = true, description = "How many controllers to simulate.")
  int screens;

  @Option(names = "--server", required = true, description = "Server base URL, e.g. http://localhost:8080")
  URI server;

  @Option(names = "--admin-token", description = "Admin token to approve the enrolled screens "
      + "(default: QINGFENG_ADMIN_TOKEN). Not needed with --secrets.")
  String adminToken;

  @Option(names = "--secrets", paramLabel = "FILE", description = "Use these credentials (one 'screenId.secret' a line) instead of enrolling.")
  Path secrets;

  @Option(names = "--save-secrets", paramLabel = "FILE", description = "Write the credentials of enrolled screens here (owner-only).")
  Path saveSecrets;

  @Option(names = "--key-prefix", defaultValue = "sim-", description = "Hardware key prefix of enrolled screens (default: ${DEFAULT-VALUE}).")
  String keyPrefix;

  @Option(names = "--group", description = "Put enrolled screens in this group id.")
  Long group;

  @Option(names = "--wait", defaultValue = "30", description = "Long-poll seconds (0: plain polling at next_poll_s; default: ${DEFAULT-VALUE}).")
  int waitS;

  @Option(names = "--speed", defaultValue = "1", description = "Time acceleration for dwell and poll intervals (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(names = "--batch", defaultValue = "50", description = "Plays per POST (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--duration", defaultValue = "0", description = "Seconds to run (0: until SIGTERM or Ctrl-C; default: ${DEFAULT-VALUE}).")
  int durationS;

  @Option(names = "--plays-file", paramLabel = "FILE",
      description = "Write every play the server accepted (202) here, one 'screen_id<TAB>client_play_id' line each.")
  Path playsFile;

  @Override
  public Integer call() throws Exception {
    if (screens < 1 || waitS < 0 || waitS > 60 || speed <= 0 || batch < 1 || durationS < 0) {
      System.err.println("qingfeng led-sim: --screens >= 1, --wait 0..60, --speed > 0, --batch >= 1, --duration >= 0");
      return ExitCodes.BAD_CONFIG;
    }
    SignalWaiter signals = durationS == 0 ? new SignalWaiter() : null;
    try (LedSimulator sim = new LedSimulator(server, Math.min(screens * 2 + 8, 20_000));
        PlayLog playLog = playsFile == null ? null : new PlayLog(playsFile)) {
      List<String> creds;
      if (secrets != null) {
        creds = Files.readAllLines(secrets, StandardCharsets.UTF_8).stream().map(String::trim)
            .filter(l -> l.matches("\\d+\\..+")).limit(screens).toList();
        if (creds.size() < screens) {
          System.err.println("qingfeng led-sim: " + secrets + " holds " + creds.size() + " credentials, fewer than --screens");
          return ExitCodes.BAD_CONFIG;
        }
      } else {
        String token = adminToken != null ? adminToken : System.getenv("QINGFENG_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
          System.err.println("qingfeng led-sim: approving enrolled screens needs --admin-token or QINGFENG_ADMIN_TOKEN (or use --secrets)");
          return ExitCodes.BAD_CONFIG;
        }
        creds = sim.enrolAndApprove(screens, keyPrefix, token, group);
        System.out.println("enrolled and approved " + creds.size() + " screens");
        if (saveSecrets != null) {
          Files.write(saveSecrets, creds, StandardCharsets.UTF_8);
          Files.setPosixFilePermissions(saveSecrets, PosixFilePermissions.fromString("rw-------"));
        }
      }
      LedSimulator.Until until = signals != null ? () -> System.out.println("led-sim stopping on " + signals.await())
          : () -> Thread.sleep(durationS * 1000L);
      sim.run(creds, waitS, speed, batch, until, playLog, System.out);
    }
    return ExitCodes.OK;
  }
}
