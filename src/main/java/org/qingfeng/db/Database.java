package org.qingfeng.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.qingfeng.app.PostgresUrl;

/** Builds the reactive Postgres pool every domain shares. */
public final class Database {
  private Database() {
  }

  public static PgConnectOptions connectOptions(PostgresUrl url) {
    return new PgConnectOptions()
        .setHost(url.host)
        .setPort(url.port)
        .setDatabase(url.database)
        .setUser(url.user)
        .setPassword(url.password)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256)
        .addProperty("application_name", "qingfeng");
  }

  public static Pool pool(Vertx vertx, PostgresUrl url, int size) {
    PoolOptions options = new PoolOptions()
        .setMaxSize(size)
        .setName("qingfeng-pg")
        .setShared(false)
        // Bounded: a stalled database makes callers fail fast instead of queueing forever.
        .setMaxWaitQueueSize(10_000)
        .setConnectionTimeout(5)
        .setIdleTimeout(60);
    return PgBuilder.pool().with(options).connectingTo(connectOptions(url)).using(vertx).build();
  }
}
