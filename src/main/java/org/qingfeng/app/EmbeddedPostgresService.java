package org.qingfeng.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17 from zonky's Maven-shipped binaries, data kept in {@code dataDir/pg} across
 * restarts. zonky turns fsync and synchronous commit off by default (fine for throwaway test
 * databases); a server that keeps real receipts turns them back on via {@code durable}.
 */
public final class EmbeddedPostgresService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresService.class);
  public static final String DATABASE = "qingfeng";

  private final Path dataDir;
  private final Path runtimeDir;
  private final boolean durable;
  private int port;
  private EmbeddedPostgres pg;

  public EmbeddedPostgresService(Path baseDir, int configuredPort, boolean durable) throws IOException {
    this.dataDir = baseDir.resolve("pg");
    this.runtimeDir = baseDir.resolve("pg-runtime");
    this.durable = durable;
    this.port = PortFile.choose(baseDir.resolve("pg.port"), configuredPort);
    Files.createDirectories(runtimeDir);
  }

  public synchronized EmbeddedPostgresService start() throws IOException {
    if (pg != null) {
      return this;
    }
    EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(runtimeDir.toFile())
        .setPort(port)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("max_connections", "200")
        .setServerConfig("listen_addresses", "127.0.0.1")
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
    pg = b.start();
    PortFile.remember(dataDir.getParent().resolve("pg.port"), port);
    ensureDatabase();
    LOG.info("embedded PostgreSQL 17 on 127.0.0.1:{} (data {}, durable={})", port, dataDir, durable);
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

  @Override
  public void close() throws IOException {
    stop();
  }
}
