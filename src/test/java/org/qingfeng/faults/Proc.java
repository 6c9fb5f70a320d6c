package org.qingfeng.faults;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code qingfeng} subcommand run as its own JVM (this JVM's class path), output in a log
 * file. Every process started is remembered so that {@link #stopAll()} ends whatever is left,
 * whichever way the run ends.
 */
final class Proc {
  private static final List<Proc> STARTED = new CopyOnWriteArrayList<>();

  final String name;
  final Path log;
  private final Process process;

  private Proc(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  /** Starts {@code qingfeng <args>} with exactly {@code env} as its QINGFENG_* environment. */
  static Proc start(String name, Path log, Map<String, String> env, String heap, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        heap, "-XX:+UseSerialGC", "-cp", childClassPath(), "org.qingfeng.cli.Main"));
    cmd.addAll(List.of(args));
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("QINGFENG_"));
    pb.environment().putAll(env);
    Proc p = new Proc(name, log, pb.start());
    STARTED.add(p);
    return p;
  }

  /**
   * The packaged (shaded) jar alone when it is on this JVM's class path, as under failsafe, which
   * also lists every dependency: twice-present PostgreSQL binaries stop zonky. Else the whole path.
   */
  private static String childClassPath() {
    String classPath = System.getProperty("java.class.path");
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.endsWith(File.separator + "qingfeng.jar") || entry.equals("qingfeng.jar")) {
        return entry;
      }
    }
    return classPath;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits for a line of the log matching {@code pattern} (searching from {@code fromLine}); returns the match. */
  Matcher awaitLine(Pattern pattern, int fromLine, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> lines = lines();
      for (int i = fromLine; i < lines.size(); i++) {
        Matcher m = pattern.matcher(lines.get(i));
        if (m.find()) {
          return m;
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing "
            + pattern + ":\n" + tail(30));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " did not print " + pattern + " within " + timeout + ":\n" + tail(30));
      }
      Thread.sleep(200);
    }
  }

  List<String> lines() throws IOException {
    return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
  }

  String tail(int n) throws IOException {
    List<String> lines = lines();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  /** SIGKILL: no shutdown hook, nothing flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " survived SIGKILL for 30 s");
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@code grace}; returns the exit code. */
  int stop(Duration grace) throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
    return process.exitValue();
  }

  /** Stops every process still running: clients of PostgreSQL and Kafka first, newest first, then those two. */
  static void stopAll() {
    List<Proc> all = new ArrayList<>(STARTED);
    List<Proc> order = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (!all.get(i).isService()) {
        order.add(all.get(i));
      }
    }
    all.stream().filter(Proc::isService).forEach(order::add);
    for (Proc p : order) {
      try {
        p.stop(Duration.ofSeconds(20));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.process.destroyForcibly();
      } catch (RuntimeException e) {
        p.process.destroyForcibly();
      }
    }
    STARTED.clear();
  }

  private boolean isService() {
    return name.equals("postgres") || name.equals("kafka");
  }

  /** Sum of a Prometheus counter over all its label sets in {@code metricsText} (0 when absent). */
  static double metric(String metricsText, String name) {
    double sum = 0;
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metricsText);
    while (m.find()) {
      sum += Double.parseDouble(m.group(2));
    }
    return sum;
  }
}
