package org.qingfeng.auth;

import io.vertx.core.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure someone can administer the server: QINGFENG_ADMIN_TOKEN becomes an admin token;
 * without it, the first start creates one and hands it to {@code printer} exactly once (it
 * never goes to the log).
 */
public final class AdminTokenBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(AdminTokenBootstrap.class);

  private AdminTokenBootstrap() {
  }

  public static Future<Void> run(TokenStore tokens, String configuredToken, Consumer<String> printer) {
    if (configuredToken != null && !configuredToken.isEmpty()) {
      return tokens.upsertAdmin("admin (from QINGFENG_ADMIN_TOKEN)", configuredToken)
          .onSuccess(v -> LOG.info("admin token from the configuration is active"));
    }
    return tokens.anyActiveAdmin().compose(exists -> {
      if (exists) {
        return Future.<Void>succeededFuture();
      }
      String token = Tokens.newToken();
      return tokens.insert("first admin", Role.ADMIN, token, null).map(id -> {
        LOG.info("created the first admin token (id {}); it is printed once on standard output", id);
        printer.accept(token);
        return null;
      });
    });
  }
}
