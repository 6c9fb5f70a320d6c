package org.qingfeng.ops;

import io.vertx.core.Future;
import java.util.Set;
import org.qingfeng.auth.TokenStore;

/**
 * Ends the streams of clients whose token has been revoked since they connected. A token is
 * checked only when it opens a stream, so without this a revoked viewer would keep watching;
 * asking the database (one read for all connected tokens) also catches a revocation made on
 * another instance.
 */
final class RevokedTokenCheck {
  private final TokenStore tokens;
  private final OpsStream stream;
  private final OpsMetrics metrics;
  private boolean running;

  RevokedTokenCheck(TokenStore tokens, OpsStream stream, OpsMetrics metrics) {
    this.tokens = tokens;
    this.stream = stream;
    this.metrics = metrics;
  }

  /** Runs one check unless the previous one is still waiting for the database. */
  void run() {
    if (running) {
      return;
    }
    Set<Long> connected = stream.tokenIds();
    if (connected.isEmpty()) {
      return;
    }
    running = true;
    Future<Set<Long>> active = tokens.activeAmong(connected);
    active.onComplete(ar -> {
      running = false;
      if (ar.succeeded()) {
        int ended = stream.endRevoked(connected, ar.result());
        if (ended > 0) {
          metrics.revokedDisconnects(ended);
        }
      }
      // On a failed read every stream stays: the database being away is not a revocation.
    });
  }
}
