package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.db.Database;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * A server stopping writes the last-seen times it still holds in memory: with the periodic flush
 * ten minutes away, the only write of the poll's time is the one the shutdown makes.
 */
@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LedShutdownFlushTest {
  @Test
  void stoppingTheServerWritesTheLastSeenTimesItHolds(TestInfra infra) throws Exception {
    QingfengServer server = infra.startServer(Map.of("QINGFENG_LED_LAST_SEEN_FLUSH_MS", "600000",
        "QINGFENG_LED_OFFLINE_GRACE_S", "900"));
    LedClient led = new LedClient(server.httpPort());
    long id;
    Instant polled;
    try {
      String cred = led.screen("hw-shutdown-flush", null);
      id = LedClient.idOf(cred);
      polled = Instant.now();
      assertThat(led.poll(cred, null).statusCode()).isEqualTo(200);
    } finally {
      LedClient.stop(led, server);
    }
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = Database.pool(vertx, infra.database(), 1);
      Row row = Http.await(pool.preparedQuery("SELECT last_seen_at FROM led_screen WHERE id = $1").execute(Tuple.of(id)))
          .iterator().next();
      OffsetDateTime seen = row.getOffsetDateTime(0);
      assertThat(seen).as("last_seen_at written at shutdown").isNotNull();
      assertThat(seen.toInstant()).isAfterOrEqualTo(polled.minusMillis(1));
    } finally {
      Http.await(vertx.close());
    }
  }
}
