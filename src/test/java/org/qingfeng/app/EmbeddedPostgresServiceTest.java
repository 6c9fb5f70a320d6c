package org.qingfeng.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server's start as an operator sees it when it goes wrong: fast, and saying why. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedPostgresServiceTest {
  @TempDir Path tmp;

  @Test
  void aTakenPortFailsTheStartAtOnceWithTheServersOwnReason() throws Exception {
    EmbeddedPostgresService pg;
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      pg = new EmbeddedPostgresService(tmp, taken.getLocalPort(), false);
      long t0 = System.nanoTime();
      assertThatThrownBy(pg::start)
          .hasMessageContaining("embedded PostgreSQL did not start")
          .hasMessageContaining("Address already in use")
          .hasMessageContaining(tmp.resolve("postgres.log").toString());
      // Without the watch, zonky waited out its whole startup bound (five minutes) first.
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
      assertThat(Thread.currentThread().isInterrupted()).as("no interrupt left behind").isFalse();
      assertThat(pg.running()).isFalse();
    }
    // The failed start left nothing held: with the port free again, the same data directory starts.
    pg.start();
    try {
      assertThat(pg.running()).isTrue();
    } finally {
      pg.stop();
    }
  }

  @Test
  void theServerLogsToItsDataDirectoryAndKeepsNoSocketInTmp() throws Exception {
    EmbeddedPostgresService pg = new EmbeddedPostgresService(tmp, 0, false).start();
    try {
      assertThat(Files.readString(tmp.resolve("postgres.log"))).contains("database system is ready to accept connections");
      assertThat(Path.of("/tmp/.s.PGSQL." + pg.port())).doesNotExist();
      assertThat(Path.of("/tmp/.s.PGSQL." + pg.port() + ".lock")).doesNotExist();
    } finally {
      pg.stop();
    }
  }
}
