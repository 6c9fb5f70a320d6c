package org.qingfeng.ops;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/** Asks Postgres and Kafka whether they answer, each within a short bound. */
public final class ReadinessCheck {
  private static final long TIMEOUT_MS = 2_500;
  private final Pool pool;
  private final KafkaAdminClient kafka;

  public ReadinessCheck(Pool pool, KafkaAdminClient kafka) {
    this.pool = pool;
    this.kafka = kafka;
  }

  /** A map part → "UP" or the reason it is down. */
  public Future<JsonObject> check() {
    Future<String> pg = pool.query("SELECT 1").execute()
        .map(r -> "UP")
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .otherwise(err -> "DOWN: " + reason(err));
    Future<String> kf = kafka.describeCluster()
        .map(c -> c.getNodes().isEmpty() ? "DOWN: no brokers" : "UP")
        .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .otherwise(err -> "DOWN: " + reason(err));
    return Future.join(pg, kf).transform(ar -> Future.succeededFuture(
        new JsonObject().put("postgres", pg.result()).put("kafka", kf.result())));
  }

  private static String reason(Throwable t) {
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : (m.length() > 200 ? m.substring(0, 200) : m);
  }
}
