package org.qingfeng.app;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.TokenStore;
import org.qingfeng.auth.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds a demo county once (remembered in app_state): one token per role, written to
 * data-dir/demo-tokens.txt (owner-only) so the API can be tried at once, and a few thousand
 * synthetic cadres with valid-format +86 mobile numbers (the 1390000xxxx block) in Yuqing's
 * townships and units, so a festival blast can be drafted and sent to the simulator, and LED
 * screen groups with a 300-rule library rolling on the road corridor (screens enrol with led-sim).
 */
final class DemoSeeder {
  private static final Logger LOG = LoggerFactory.getLogger(DemoSeeder.class);
  private final Pool pool;
  private final TokenStore tokens;
  private final Path dataDir;

  DemoSeeder(Pool pool, TokenStore tokens, Path dataDir) {
    this.pool = pool;
    this.tokens = tokens;
    this.dataDir = dataDir;
  }

  Future<Void> seedOnce() {
    return pool.preparedQuery("INSERT INTO app_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .execute(Tuple.of("demo_seeded", "v1"))
        .compose(rows -> rows.rowCount() == 0 ? Future.<Void>succeededFuture() : seed());
  }

  private Future<Void> seed() {
    StringBuilder file = new StringBuilder("# Demo tokens, one per role. Keep this file private.\n");
    Future<Void> chain = Future.succeededFuture();
    for (Role role : Role.values()) {
      String token = Tokens.newToken();
      file.append(role.wireName()).append('=').append(token).append('\n');
      chain = chain.compose(v -> tokens.insert("demo " + role.wireName(), role, token, null)).mapEmpty();
    }
    return chain.compose(v -> DemoCounty.seedContacts(pool)).compose(v -> DemoCounty.seedLed(pool)).compose(v -> {
      Path out = dataDir.resolve("demo-tokens.txt");
      try {
        Files.writeString(out, file.toString(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
      } catch (IOException | UnsupportedOperationException e) {
        return Future.failedFuture(e);
      }
      LOG.info("demo data seeded: one token per role in {}", out);
      return Future.succeededFuture();
    });
  }
}
