package org.qingfeng.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL location, accepted as a libpq URI (postgresql://user:pass@host:port/db) or a
 * JDBC URL (jdbc:postgresql://host:port/db?user=..&password=..). Both the reactive client and
 * Flyway (JDBC) are configured from it.
 */
public final class PostgresUrl {
  public final String host;
  public final int port;
  public final String database;
  public final String user;
  public final String password;

  public PostgresUrl(String host, int port, String database, String user, String password) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
  }

  public static PostgresUrl parse(String url, String key) {
    String s = url.startsWith("jdbc:") ? url.substring(5) : url;
    if (!s.startsWith("postgresql://") && !s.startsWith("postgres://")) {
      throw new ConfigException(key, "must start with postgresql:// (or jdbc:postgresql://)");
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "is not a valid URL: " + e.getReason());
    }
    if (uri.getHost() == null) {
      throw new ConfigException(key, "has no host");
    }
    String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
    String user = "postgres";
    String password = "";
    if (uri.getRawUserInfo() != null) {
      String[] ui = uri.getRawUserInfo().split(":", 2);
      user = decode(ui[0]);
      password = ui.length > 1 ? decode(ui[1]) : "";
    }
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        String[] p = kv.split("=", 2);
        if (p.length == 2 && p[0].equals("user")) {
          user = decode(p[1]);
        } else if (p.length == 2 && p[0].equals("password")) {
          password = decode(p[1]);
        }
      }
    }
    return new PostgresUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
  }

  public PostgresUrl withPassword(String pw) {
    return pw == null || pw.isEmpty() ? this : new PostgresUrl(host, port, database, user, pw);
  }

  public PostgresUrl withDatabase(String db) {
    return new PostgresUrl(host, port, db, user, password);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** The URL without the password, safe to log and print. */
  public String display() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
