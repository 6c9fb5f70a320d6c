package org.qingfeng.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short fault run (scripts/faults/run.sh's default form) as part of {@code mvn verify}: real
 * processes for PostgreSQL, Kafka, the SMSC simulator, two servers and two LED fleets; a server
 * SIGKILLed and restarted, Kafka and PostgreSQL restarted and every SMPP link dropped every 5 s
 * during a 3,000-recipient blast. Runs in failsafe's integration-test phase (surefire skips the
 * {@code fault} tag), against the packaged jar.
 */
@Tag("fault")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class FaultRunIT {

  @Test
  void shortFaultRunLosesNothingAndCountsEveryRepeat() throws Exception {
    Path dir = Path.of("target", "faults", "it-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
        .toAbsolutePath();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(new TeeStream(System.out, captured), true, StandardCharsets.UTF_8);
    FaultReport report;
    try {
      report = new FaultRun(FaultSettings.shortRun(dir), both).run();
    } finally {
      Proc.stopAll();
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertThat(report.faults).as(printed).extracting(FaultReport.Fault::what)
        .containsExactly("SIGKILL server A and restart it", "restart Kafka", "restart PostgreSQL");
    assertThat(report.figures.get("smsc link drops")).as(printed).isNotEqualTo(0L);
    assertThat(report.figures.get("missing recipients")).as(printed).isEqualTo(0);
    assertThat(report.figures.get("duplicates not covered by a counted resubmit")).as(printed).isEqualTo(0L);
    assertThat(report.figures.get("receipts missing from PostgreSQL")).as(printed).isEqualTo(0);
    assertThat(report.figures.get("accepted plays missing from PostgreSQL")).as(printed).isEqualTo(0);
    assertThat(report.violations).as(printed).isEmpty();
  }

  /** Prints the run's progress to the test output while keeping it for the assertion messages. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws java.io.IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}
