package org.qingfeng.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.kafka.KafkaSettings;
import org.qingfeng.kafka.Topics;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

@QingfengTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OptOutTest {
  static TestInfra infra;
  static QingfengServer server;
  static ContactApi api;
  static String operator;
  static String viewer;
  static Topics topics;

  @BeforeAll
  static void start(TestInfra testInfra) throws Exception {
    infra = testInfra;
    server = infra.startServer();
    api = new ContactApi(server.httpPort());
    operator = api.createToken("operator");
    viewer = api.createToken("viewer");
    topics = new Topics(infra.topicPrefix());
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  static HttpResponse<Buffer> post(String token, JsonObject body) {
    return api.send(HttpMethod.POST, "/api/v1/opt-outs", token, body);
  }

  static long optedOut(String e164) {
    return ContactApi.count(server.pool(), "SELECT count(*) FROM opt_out WHERE phone = '" + e164 + "'");
  }

  @Test
  void apiAddsNormalisedNumbersIdempotentlyListsAndRemoves() {
    HttpResponse<Buffer> added = post(operator, new JsonObject().put("phone", "138 0003 0001").put("reason", "asked by phone"));
    assertThat(added.statusCode()).isEqualTo(201);
    assertThat(added.bodyAsJsonObject().getString("phone")).isEqualTo("+8613800030001");
    assertThat(post(operator, new JsonObject().put("phone", "+8613800030001")).statusCode()).isEqualTo(200);
    assertThat(optedOut("+8613800030001")).isEqualTo(1);
    assertThat(post(operator, new JsonObject().put("phone", "12345")).statusCode()).isEqualTo(422);
    assertThat(post(operator, new JsonObject()).statusCode()).isEqualTo(422);
    assertThat(post(viewer, new JsonObject().put("phone", "13800030002")).statusCode()).isEqualTo(403);

    JsonObject asOperator = api.get("/api/v1/opt-outs?limit=1000", operator).bodyAsJsonObject();
    assertThat(asOperator.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("phone")))
        .contains("+8613800030001");
    JsonObject asViewer = api.get("/api/v1/opt-outs?limit=1000", viewer).bodyAsJsonObject();
    assertThat(asViewer.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("phone")))
        .contains("+86138****0001").noneMatch(p -> p.equals("+8613800030001"));

    assertThat(api.send(HttpMethod.DELETE, "/api/v1/opt-outs/%2B8613800030001", viewer, null).statusCode()).isEqualTo(403);
    assertThat(api.send(HttpMethod.DELETE, "/api/v1/opt-outs/13800030001", operator, null).statusCode()).isEqualTo(204);
    assertThat(optedOut("+8613800030001")).isZero();
    assertThat(api.send(HttpMethod.DELETE, "/api/v1/opt-outs/13800030001", operator, null).statusCode()).isEqualTo(404);
  }

  @Test
  void pagingWorksForOperatorsAndViewers() {
    for (int i = 0; i < 7; i++) {
      assertThat(post(operator, new JsonObject().put("phone", String.format("1380004%04d", i))).statusCode()).isEqualTo(201);
    }
    for (String token : List.of(operator, viewer)) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        JsonObject page = api.get("/api/v1/opt-outs?limit=3" + (cursor == null ? "" : "&cursor=" + cursor.replace("+", "%2B")), token).bodyAsJsonObject();
        page.getJsonArray("items").forEach(o -> seen.add(((JsonObject) o).getString("phone")));
        cursor = page.getString("next_cursor");
        if (token.equals(viewer) && cursor != null) {
          assertThat(cursor).startsWith("@");
        }
      } while (cursor != null);
      // Masked numbers may look alike; the count of entries must still be exact.
      assertThat((long) seen.size()).isEqualTo(ContactApi.count(server.pool(), "SELECT count(*) FROM opt_out"));
      if (token.equals(operator)) {
        assertThat(seen).doesNotHaveDuplicates().isSorted();
      }
    }
  }

  @Test
  void moKeywordsFromSmsInboundFillTheListAndBadRecordsGoToTheDlq() throws Exception {
    String[][] inbound = {
        {"+8613800050001", "TD"}, {"13800050002", " 退订 "}, {"+8613800050003", "td 谢谢"},
        {"+8613800050004", "Thanks for the greeting"}, {"+8613800050005", "STOP"}, {"+8613800050006", "ｔｄ"},
        {"+8613800050007", "退订谢谢"}, {"+8613800050001", "TD"}};
    KafkaProducer<String, String> producer = KafkaProducer.create(api.vertx, KafkaSettings.producer(infra.kafkaBootstrap(), "test-mo"));
    List<Future<?>> sends = new ArrayList<>();
    int n = 0;
    for (String[] mo : inbound) {
      String json = new JsonObject().put("source", mo[0]).put("destination", "106900001234").put("text", mo[1])
          .put("receivedAt", System.currentTimeMillis()).put("eventId", "mo-" + n++).put("channel", "sim").encode();
      sends.add(producer.send(KafkaProducerRecord.create(topics.smsInbound, mo[0], json)));
    }
    sends.add(producer.send(KafkaProducerRecord.create(topics.smsInbound, "x", "this is not json")));
    sends.add(producer.send(KafkaProducerRecord.create(topics.smsInbound, "y", "{\"destination\":\"1069\",\"text\":\"TD\"}")));
    sends.add(producer.send(KafkaProducerRecord.create(topics.smsInbound, "z", "{\"source\":\"not-a-number\",\"text\":\"TD\"}")));
    ContactApi.await(Future.all(sends));
    ContactApi.await(producer.close());
    int total = inbound.length + 3;

    List<String> expected = List.of("+8613800050001", "+8613800050002", "+8613800050003", "+8613800050005",
        "+8613800050006", "+8613800050007");
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline
        && ContactApi.count(server.pool(), "SELECT count(*) FROM opt_out WHERE source = 'mo' AND phone LIKE '+86138000500%'") < expected.size()) {
      Thread.sleep(200);
    }
    for (String e164 : expected) {
      assertThat(optedOut(e164)).as(e164).isEqualTo(1);
    }
    assertThat(optedOut("+8613800050004")).as("'Thanks' is not T").isZero();
    assertThat(ContactApi.count(server.pool(), "SELECT count(*) FROM opt_out WHERE phone = '+8613800050001' AND source = 'mo' AND detail LIKE '%TD%'"))
        .isEqualTo(1);

    // The three unreadable records are in the dead-letter topic with the reason.
    KafkaConsumer<String, String> dlq = KafkaConsumer.create(api.vertx,
        KafkaSettings.consumer(infra.kafkaBootstrap(), infra.groupId("dlq-reader"), "test-dlq"));
    ContactApi.await(dlq.subscribe(topics.dlq));
    List<JsonObject> letters = new ArrayList<>();
    while (System.currentTimeMillis() < deadline && letters.size() < 3) {
      KafkaConsumerRecords<String, String> recs = ContactApi.await(dlq.poll(Duration.ofMillis(500)));
      for (int i = 0; i < recs.size(); i++) {
        letters.add(new JsonObject(recs.recordAt(i).value()));
      }
    }
    ContactApi.await(dlq.close());
    assertThat(letters).hasSize(3).allSatisfy(l -> {
      assertThat(l.getString("sourceTopic")).isEqualTo(topics.smsInbound);
      assertThat(l.getString("error")).isNotBlank();
    });

    // Offsets are committed once the batch is applied: the group has consumed everything.
    KafkaConsumer<String, String> probe = KafkaConsumer.create(api.vertx,
        KafkaSettings.consumer(infra.kafkaBootstrap(), infra.topicPrefix() + "qingfeng.opt-out", "test-probe"));
    long committed = 0;
    while (System.currentTimeMillis() < deadline) {
      committed = 0;
      for (int p = 0; p < 3; p++) {
        OffsetAndMetadata o = ContactApi.await(probe.committed(new TopicPartition(topics.smsInbound, p)));
        committed += o == null ? 0 : o.getOffset();
      }
      if (committed == total) {
        break;
      }
      Thread.sleep(200);
    }
    ContactApi.await(probe.close());
    assertThat(committed).isEqualTo(total);
  }

  @Test
  void keywordRules() {
    OptOutKeywords k = new OptOutKeywords(List.of("TD", "退订", "STOP", "T"));
    assertThat(k.match("TD")).isEqualTo("TD");
    assertThat(k.match("  td  ")).isEqualTo("TD");
    assertThat(k.match("T")).isEqualTo("T");
    assertThat(k.match("t!")).isEqualTo("T");
    assertThat(k.match("TD。")).isEqualTo("TD");
    assertThat(k.match("退订谢谢")).isEqualTo("退订");
    assertThat(k.match("Stop please")).isEqualTo("STOP");
    assertThat(k.match("Thanks")).isNull();
    assertThat(k.match("STOPPED")).isNull();
    assertThat(k.match("收到，谢谢")).isNull();
    assertThat(k.match("")).isNull();
    assertThat(OptOutStore.notOptedOut("c.phone")).contains("opt_out").contains("c.phone");
  }
}
