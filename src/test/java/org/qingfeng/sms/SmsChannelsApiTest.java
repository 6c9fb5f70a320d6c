package org.qingfeng.sms;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.sim.SmscSimulator;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/** The server's default channel is the built-in simulator; test sends go through SMPP and their events through Kafka. */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SmsChannelsApiTest {
  static QingfengServer server;
  static Http http;
  static TestInfra infra;
  static String operator;

  @BeforeAll
  static void start(TestInfra testInfra) throws Exception {
    infra = testInfra;
    server = infra.startServer(Map.of("QINGFENG_SMS_SIMULATOR_RECEIPT_DELAY_MS", "50"));
    http = new Http(server.httpPort());
    operator = http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN, "{\"role\":\"operator\",\"name\":\"op\"}")
        .bodyAsJsonObject().getString("token");
    Http.await(server.smsChannels().orElseThrow().channel("sim").orElseThrow().awaitBound());
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void withoutConfiguredChannelsTheSimulatorIsTheBoundDefault() {
    JsonObject body = http.get("/api/v1/sms/channels", operator).bodyAsJsonObject();
    assertThat(body.getBoolean("simulated")).isTrue();
    JsonObject sim = body.getJsonArray("items").getJsonObject(0);
    assertThat(sim.getString("name")).isEqualTo("sim");
    assertThat(sim.getString("state")).isEqualTo("BOUND");
    assertThat(sim.getInteger("window")).isEqualTo(50);
  }

  @Test
  void testSendReachesTheSmscOnceAndItsEventsReachKafka() throws Exception {
    String chinese = "春节将至，请廉洁过节，严守中央八项规定精神，反对四风。".repeat(3);
    HttpResponse<Buffer> res = http.postJson("/api/v1/sms/test-send", operator, new JsonObject()
        .put("to", new JsonArray().add("13800138000").add("+86 139 0013 9000"))
        .put("text", chinese).put("signature", "【余庆县纪委】").encode());
    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(200);
    JsonArray results = res.bodyAsJsonObject().getJsonArray("results");
    assertThat(results).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonObject r = results.getJsonObject(i);
      assertThat(r.getString("status")).isEqualTo("submitted");
      assertThat(r.getString("encoding")).isEqualTo("UCS2");
      assertThat(r.getJsonArray("parts")).hasSize(2);
    }
    SmscSimulator sim = server.smsChannels().orElseThrow().simulator().orElseThrow();
    assertThat(sim.ledger().submitsPerDestination()).containsEntry("8613800138000", 2).containsEntry("8613900139000", 2);

    // Two messages x two parts: four submit results and four receipts, keyed channel:smscId.
    List<ConsumerRecord<String, String>> events = consume(infra.topicPrefix() + "sms.events", 8);
    assertThat(events).hasSize(8);
    assertThat(events).allSatisfy(r -> assertThat(r.key()).startsWith("sim:"));
    assertThat(events.stream().filter(r -> r.value().contains("\"submit_result\""))).hasSize(4);
    assertThat(events.stream().filter(r -> r.value().contains("\"receipt\""))).hasSize(4);
  }

  @Test
  void badInputIs4xxAndSendsNothing() {
    SmscSimulator sim = server.smsChannels().orElseThrow().simulator().orElseThrow();
    int before = sim.ledger().submits();
    assertThat(send("{\"channel\":\"nope\",\"to\":[\"13800138000\"],\"text\":\"hi\"}")).isEqualTo(422);
    assertThat(send("{\"to\":[\"13800138000\"],\"text\":\"\"}")).isEqualTo(422);
    assertThat(send("{\"to\":[\"13800138000\"],\"text\":\"bad \\udc00\"}")).isEqualTo(422);
    assertThat(send("{\"to\":[\"13800138000\"],\"text\":\"" + "廉".repeat(67 * 10 + 1) + "\"}")).isEqualTo(422);
    assertThat(send("{\"to\":[\"12345\"],\"text\":\"hi\"}")).isEqualTo(422);
    assertThat(send("{\"to\":[],\"text\":\"hi\"}")).isEqualTo(422);
    assertThat(send("{\"to\":[\"13800138000\",\"13800138001\",\"13800138002\",\"13800138003\",\"13800138004\",\"13800138005\"],\"text\":\"hi\"}")).isEqualTo(422);
    assertThat(http.get("/api/v1/sms/channels", null).statusCode()).isEqualTo(401);
    String viewer = http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN, "{\"role\":\"viewer\",\"name\":\"v\"}").bodyAsJsonObject().getString("token");
    assertThat(http.postJson("/api/v1/sms/test-send", viewer, "{\"to\":[\"13800138000\"],\"text\":\"hi\"}").statusCode()).isEqualTo(403);
    assertThat(sim.ledger().submits()).isEqualTo(before);
  }

  private static int send(String json) {
    HttpResponse<Buffer> res = http.postJson("/api/v1/sms/test-send", operator, json);
    assertThat(res.getHeader("Content-Type")).isEqualTo("application/problem+json");
    return res.statusCode();
  }

  private static List<ConsumerRecord<String, String>> consume(String topic, int expected) {
    Properties p = new Properties();
    p.put("bootstrap.servers", infra.kafkaBootstrap());
    p.put("group.id", infra.groupId("events-check"));
    p.put("auto.offset.reset", "earliest");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // A little longer, to catch duplicates.
      c.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }
}
