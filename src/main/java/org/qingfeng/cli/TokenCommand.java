package org.qingfeng.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.qingfeng.app.ConfigException;
import org.qingfeng.app.EmbeddedPostgresService;
import org.qingfeng.app.PostgresUrl;
import org.qingfeng.app.QingfengConfig;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.Tokens;
import org.qingfeng.db.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Manages operator API tokens.",
    subcommands = {TokenCommand.Create.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Creates a token and prints it once. Uses postgres.url, else the embedded database in data-dir "
          + "(the running server's, or started for the moment).")
  static final class Create implements Callable<Integer> {
    @Option(names = "--role", required = true, description = "admin, operator, approver or viewer") String role;
    @Option(names = "--name", required = true, description = "Who or what the token is for.") String name;
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration.") Path config;

    @Override
    public Integer call() throws Exception {
      Role r = Role.parse(role).orElseThrow(() -> new ConfigException("--role", "must be admin, operator, approver or viewer"));
      if (name.isBlank() || name.length() > 200) {
        throw new ConfigException("--name", "must be 1..200 characters");
      }
      String token = Tokens.newToken();
      long id = withDatabase(config, c -> {
        try (PreparedStatement st = c.prepareStatement(
            "INSERT INTO api_token (name, role, token_sha256) VALUES (?, ?, ?) RETURNING id")) {
          st.setString(1, name.trim());
          st.setString(2, r.wireName());
          st.setBytes(3, Tokens.sha256(token));
          try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        }
      });
      System.out.println("id=" + id + " role=" + r.wireName() + " name=" + name.trim());
      System.out.println(token);
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a token by id.")
  static final class Revoke implements Callable<Integer> {
    @Option(names = "--id", required = true) long id;
    @Option(names = "--config", paramLabel = "FILE") Path config;

    @Override
    public Integer call() throws Exception {
      int n = withDatabase(config, c -> {
        try (PreparedStatement st = c.prepareStatement("UPDATE api_token SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL")) {
          st.setLong(1, id);
          return st.executeUpdate();
        }
      });
      System.out.println(n == 1 ? "revoked token " + id : "no live token with id " + id);
      return n == 1 ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  interface Work<T> {
    T run(Connection c) throws Exception;
  }

  static <T> T withDatabase(Path config, Work<T> work) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    Path file = config != null ? config : (Files.isRegularFile(Path.of("conf/qingfeng.yaml")) ? Path.of("conf/qingfeng.yaml") : null);
    QingfengConfig cfg = QingfengConfig.load(file, env);
    EmbeddedPostgresService started = null;
    PostgresUrl url;
    if (!cfg.embeddedPostgres()) {
      url = PostgresUrl.parse(cfg.postgresUrl, "postgres.url").withPassword(cfg.postgresPassword);
    } else if (Files.exists(cfg.dataDir.resolve("pg").resolve("postmaster.pid"))) {
      // The server (or `services`) is running on this data dir: use its embedded database.
      int port = Integer.parseInt(Files.readString(cfg.dataDir.resolve("pg.port")).trim());
      url = new PostgresUrl("127.0.0.1", port, EmbeddedPostgresService.DATABASE, "postgres", "");
    } else {
      started = new EmbeddedPostgresService(cfg.dataDir, cfg.postgresEmbeddedPort, true).start();
      url = started.url();
    }
    try {
      Migrations.migrate(url);
      try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user, url.password)) {
        return work.run(c);
      }
    } finally {
      if (started != null) {
        started.stop();
      }
    }
  }
}
