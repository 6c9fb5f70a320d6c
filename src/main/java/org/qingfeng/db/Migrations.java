package org.qingfeng.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.qingfeng.app.PostgresUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the Flyway migrations in db/migration. Blocking: call it off the event loop. */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {
  }

  public static int migrate(PostgresUrl url) {
    Flyway flyway = Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user, url.password)
        .locations("classpath:db/migration")
        .connectRetries(10)
        // Capabilities land in any order (V4.x contacts and campaigns, V6.x LED, ...): a data
        // directory that saw V6 before V4 existed must still take V4 when it arrives.
        .outOfOrder(true)
        .load();
    MigrateResult result = flyway.migrate();
    LOG.info("schema at version {} ({} migrations applied now)", result.targetSchemaVersion == null
        ? flyway.info().current().getVersion() : result.targetSchemaVersion, result.migrationsExecuted);
    return result.migrationsExecuted;
  }
}
