package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.receipts.ReceiptTestKit.await;
import static org.qingfeng.receipts.ReceiptTestKit.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.db.Database;
import org.qingfeng.sim.FaultOptions;
import org.qingfeng.sim.SimulatorOptions;
import org.qingfeng.sim.SmscSimulator;
import org.qingfeng.sms.events.KafkaSmsEventPublisher;
import org.qingfeng.sms.smpp.ChannelConfig;
import org.qingfeng.sms.smpp.OutboundSms;
import org.qingfeng.sms.smpp.SmppChannel;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * SmppChannel → simulator (receipts sent BEFORE submit responses) → Kafka → sink → Postgres, then
 * the statistics and CSV endpoints of a server on the same database against direct counts.
 */
@QingfengTest
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ReceiptSimulatorEndToEndTest {
  static final long CAMPAIGN = 42;
  static final String THREE_PARTS = "【余庆县纪委】廉洁过节提醒：" + "严禁公款吃喝、公款旅游，严禁收送礼品礼金。".repeat(7);

  @Test
  void everyEarlyReceiptIsMatchedAndTheApiCountsWhatTheLedgerHolds(TestInfra infra) throws Exception {
    int messages = 200;
    try (QingfengServer server = infra.startServer(Map.of("QINGFENG_ROLES", "api"));
        SmscSimulator sim = SmscSimulator.start(new SimulatorOptions().port(0).receiptDelayMs(10).seed(11)
            .sessionThreads(64).receiptThreads(8).faults(FaultOptions.none().receiptBeforeResponse(true)));
        Http http = new Http(server.httpPort())) {
      Vertx vertx = Vertx.vertx();
      try {
        Pool pool = Database.pool(vertx, infra.database(), 4);
        ReceiptSinkVerticle sink = ReceiptTestKit.deploySink(vertx, pool,
            ReceiptTestKit.options(infra.kafkaBootstrap(), infra.topicPrefix(), infra.groupId("sink")), Clock.systemUTC());
        KafkaSmsEventPublisher publisher = new KafkaSmsEventPublisher(vertx, infra.kafkaBootstrap(), infra.topicPrefix(), 1000);
        Map<String, Object> yaml = new HashMap<>();
        yaml.put("host", "127.0.0.1");
        yaml.put("port", sim.port());
        yaml.put("system_id", "qingfeng");
        yaml.put("source_address", "106900001234");
        SmppChannel channel = new SmppChannel(vertx, ChannelConfig.fromMap("sim", yaml,
            Map.of("QINGFENG_SMPP_SIM_PASSWORD", "secret")), publisher, new SimpleMeterRegistry());
        await(channel.start().compose(v -> channel.awaitBound()));
        List<Future<?>> sends = new ArrayList<>();
        for (int i = 1; i <= messages; i++) {
          String text = i % 4 == 0 ? THREE_PARTS : "Qingfeng reminder " + i + ": keep the festival clean.";
          sends.add(channel.submit(new OutboundSms(Integer.toString(i), "+86139" + String.format("%08d", i), text, null,
              CAMPAIGN)));
        }
        await(Future.all(sends));
        int parts = sim.ledger().submits();

        ReceiptTestKit.waitUntil("every receipt matched", 60_000,
            () -> count(pool, "SELECT count(*) FROM receipt_part WHERE state IS NOT NULL") == parts);
        assertThat(count(pool, "SELECT count(*) FROM receipt_part")).isEqualTo(parts);
        assertThat(count(pool, "SELECT count(*) FROM receipt_parked")).isZero();
        // The SMSC's done date (minute precision, its own zone) must land within a minute or two of our clock.
        assertThat(count(pool, "SELECT count(*) FROM receipt_part WHERE done_at IS NULL"
            + " OR abs(extract(epoch FROM receipt_at - done_at)) > 120")).isZero();
        assertThat(count(pool, "SELECT count(*) FROM receipt_unmatched")).isZero();
        assertThat(count(pool, "SELECT count(*) FROM receipt_message WHERE campaign_id = " + CAMPAIGN)).isEqualTo(messages);
        assertThat(count(pool, "SELECT count(*) FROM receipt_message WHERE status = 'submitted'")).isZero();
        ReceiptTestKit.assertStatsMatchLedger(pool);

        JsonObject stats = http.get("/api/v1/campaigns/" + CAMPAIGN + "/stats", TestInfra.ADMIN_TOKEN).bodyAsJsonObject();
        assertThat(stats.getLong("messages")).isEqualTo(messages);
        Map<String, Long> direct = new HashMap<>();
        for (Row r : await(pool.query("SELECT status, count(*) FROM receipt_message WHERE campaign_id = " + CAMPAIGN
            + " GROUP BY status").execute())) {
          direct.put(r.getString(0), r.getLong(1));
        }
        for (String status : MessageState.STATUSES) {
          assertThat(stats.getJsonObject("by_status").getLong(status)).as(status).isEqualTo(direct.getOrDefault(status, 0L));
        }
        long accepted = messages - direct.getOrDefault("rejected", 0L);
        assertThat(stats.getDouble("delivery_rate")).isEqualTo((double) direct.getOrDefault("delivered", 0L) / accepted);
        Map<Integer, Long> buckets = new HashMap<>();
        for (Row r : await(pool.query("SELECT (extract(epoch FROM final_at) * 1000)::int8 - (extract(epoch FROM submitted_at)"
            + " * 1000)::int8 FROM receipt_message WHERE status IN ('delivered', 'failed')").execute())) {
          buckets.merge(LatencyBuckets.bucket(r.getLong(0)), 1L, Long::sum);
        }
        assertThat(stats.getJsonObject("latency_ms").getLong("p50")).isEqualTo(LatencyBuckets.percentile(buckets, 0.5));
        assertThat(stats.getJsonObject("latency_ms").getLong("p99")).isEqualTo(LatencyBuckets.percentile(buckets, 0.99));
        assertThat(stats.getJsonArray("series").stream().mapToLong(o -> ((JsonObject) o).getLong("submitted")).sum())
            .isEqualTo(accepted);
        JsonObject channels = http.get("/api/v1/stats/channels", TestInfra.ADMIN_TOKEN).bodyAsJsonObject();
        assertThat(channels.getJsonArray("items").getJsonObject(0).getString("channel")).isEqualTo("sim");
        assertThat(channels.getJsonObject("total").getLong("messages")).isEqualTo(messages);
        assertThat(http.get("/api/v1/campaigns/abc/stats", TestInfra.ADMIN_TOKEN).statusCode()).isEqualTo(400);

        String viewer = http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN, "{\"name\":\"ops\",\"role\":\"viewer\"}")
            .bodyAsJsonObject().getString("token");
        String full = http.get("/api/v1/campaigns/" + CAMPAIGN + "/messages.csv", TestInfra.ADMIN_TOKEN).bodyAsString();
        String masked = http.get("/api/v1/campaigns/" + CAMPAIGN + "/messages.csv", viewer).bodyAsString();
        String[] lines = full.split("\n");
        assertThat(lines).hasSize(messages + 1);
        assertThat(lines[0]).isEqualTo(ReceiptRoutes.CSV_HEADER.trim());
        assertThat(masked.split("\n")).hasSize(messages + 1);
        // These messages are not in the campaign ledger, so their phone column is empty; masking by
        // role is asserted on a real campaign in CampaignReceiptsEndToEndTest.
        await(channel.close());
        await(publisher.close());
      } finally {
        await(vertx.close());
      }
    }
  }
}
