package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * A rule library imported as text, rolled on a group, shown, and proven: plays go through
 * Kafka to Postgres once each however often they are posted, and the report counts exactly
 * what was posted, including the library's rules that were not shown.
 */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LedPlaysAndReportsTest {
  static final int RULES = 60;
  static QingfengServer server;
  static LedClient led;
  static long group;
  static long library;
  static List<String> creds;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer();
    led = new LedClient(server.httpPort());
    group = led.group("Baiyan township", "township");
    StringBuilder file = new StringBuilder("\uFEFF");
    for (int i = 1; i <= RULES; i++) {
      file.append("第").append(i).append("条 党员必须严守党的纪律\r\n");
      if (i % 10 == 0) {
        file.append("\n第1条 党员必须严守党的纪律\n");
      }
    }
    HttpResponse<Buffer> imported = led.call(HttpMethod.POST, "/api/v1/led/items/import?library="
            + URLEncoder.encode("党规党纪 2025", StandardCharsets.UTF_8) + "&dwell_s=15",
        Map.of("Authorization", "Bearer " + TestInfra.ADMIN_TOKEN), "text/plain; charset=utf-8", file.toString());
    assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(201);
    JsonObject stats = imported.bodyAsJsonObject();
    assertThat(stats.getInteger("added")).isEqualTo(RULES);
    assertThat(stats.getInteger("duplicate_lines")).isEqualTo(6);
    assertThat(stats.getInteger("blank_lines")).isEqualTo(6);
    library = stats.getLong("library_id");
    creds = led.screens("hw-plays-", 3, group);
    led.adminOk(HttpMethod.POST, "/api/v1/led/libraries/" + library + "/assignments", new JsonObject().put("group_id", group)
        .put("start_date", LocalDate.now(ZoneId.of("Asia/Shanghai")).minusDays(1).toString()).put("rules_per_day", 5)
        .put("daypart", "07:00-22:00"));
  }

  @AfterAll
  static void stop() {
    LedClient.stop(led, server);
  }

  @Test
  void reimportingTheSameFileAddsNothing() {
    HttpResponse<Buffer> again = led.call(HttpMethod.POST, "/api/v1/led/items/import?library="
            + URLEncoder.encode("党规党纪 2025", StandardCharsets.UTF_8),
        Map.of("Authorization", "Bearer " + TestInfra.ADMIN_TOKEN), "text/plain", "第1条 党员必须严守党的纪律\n第2条 党员必须严守党的纪律\n");
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.bodyAsJsonObject().getInteger("added")).isZero();
    assertThat(again.bodyAsJsonObject().getInteger("already_in_library")).isEqualTo(2);
  }

  @Test
  void rotationGivesEachScreenItsOwnRulesOfTheDay() {
    Set<Long> today = new HashSet<>();
    String date = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
    for (String c : creds) {
      JsonArray items = led.poll(c, null).bodyAsJsonObject().getJsonArray("items");
      List<Long> mine = new ArrayList<>();
      for (Object o : items) {
        JsonObject it = (JsonObject) o;
        assertThat(it.getString("kind")).isEqualTo("rotation");
        if (it.getString("date").equals(date)) {
          mine.add(it.getLong("item_id"));
          assertThat(it.getString("library")).isEqualTo("党规党纪 2025");
          assertThat(it.getInteger("dwell_s")).isEqualTo(15);
          assertThat(it.getJsonArray("windows").getJsonObject(0).getString("from")).contains("T07:00:00+08:00");
        }
      }
      assertThat(mine).hasSize(5).doesNotHaveDuplicates();
      today.addAll(mine);
    }
    assertThat(today).as("three screens, five rules each, no overlap").hasSize(15);
  }

  @Test
  void playsPostedTwiceAreStoredOnceAndTheReportCountsWhatWasPosted() throws Exception {
    Instant start = Instant.now().minusSeconds(3600);
    Map<Long, String> hashes = new HashMap<>();
    List<Long> shown = new ArrayList<>();
    for (Object o : led.poll(creds.get(0), null).bodyAsJsonObject().getJsonArray("items")) {
      JsonObject it = (JsonObject) o;
      hashes.put(it.getLong("item_id"), it.getString("content_hash"));
      if (shown.size() < 4 && !shown.contains(it.getLong("item_id"))) {
        shown.add(it.getLong("item_id"));
      }
    }
    JsonArray batch1 = new JsonArray();
    for (int i = 0; i < 10; i++) {
      long item = shown.get(i % 4);
      batch1.add(play("p-" + i, item, hashes.get(item), start.plusSeconds(i * 15L)));
    }
    JsonArray batch2 = new JsonArray();
    for (int i = 0; i < 5; i++) {
      long item = shown.get(0);
      // The same client play ids as screen 0's: another screen, so other plays.
      batch2.add(play("p-" + i, item, hashes.get(item), start.plusSeconds(i * 15L)));
    }
    assertThat(led.postPlays(creds.get(0), new JsonObject().put("plays", batch1)).statusCode()).isEqualTo(202);
    assertThat(led.postPlays(creds.get(0), new JsonObject().put("plays", batch1)).statusCode()).isEqualTo(202);
    HttpResponse<Buffer> second = led.postPlays(creds.get(1), new JsonObject().put("plays", batch2.copy().add(batch2.getValue(0))));
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(second.bodyAsJsonObject().getInteger("duplicates_in_batch")).isEqualTo(1);
    assertThat(led.postPlays(creds.get(1), new JsonObject().put("plays", batch2)).statusCode()).isEqualTo(202);

    String q = "/api/v1/led/reports/plays?from=" + enc(start.minusSeconds(60).toString()) + "&to=" + enc(Instant.now().plusSeconds(60).toString())
        + "&group=" + group + "&library=" + library;
    JsonObject report = null;
    for (int i = 0; i < 150; i++) {
      report = led.adminOk(HttpMethod.GET, q, null);
      if (report.getLong("total_plays") >= 15) {
        break;
      }
      Thread.sleep(100);
    }
    Thread.sleep(500);
    report = led.adminOk(HttpMethod.GET, q, null);
    assertThat(report.getLong("total_plays")).isEqualTo(15);
    assertThat(report.getLong("distinct_rules")).isEqualTo(4);
    assertThat(report.getLong("screens_playing")).isEqualTo(2);
    Map<Long, Long> perScreen = new HashMap<>();
    report.getJsonArray("per_screen").forEach(o -> perScreen.put(((JsonObject) o).getLong("screen_id"), ((JsonObject) o).getLong("plays")));
    assertThat(perScreen).containsOnly(Map.entry(LedClient.idOf(creds.get(0)), 10L), Map.entry(LedClient.idOf(creds.get(1)), 5L));
    long firstItemPlays = report.getJsonArray("per_item").stream().map(o -> (JsonObject) o)
        .filter(o -> o.getLong("item_id").equals(shown.get(0))).findFirst().orElseThrow().getLong("plays");
    assertThat(firstItemPlays).isEqualTo(3 + 5);
    assertThat(report.getJsonArray("per_item").getJsonObject(0).getString("text")).contains("党员必须严守党的纪律");
    JsonObject lib = report.getJsonObject("library");
    assertThat(lib.getLong("rules")).isEqualTo(RULES);
    assertThat(lib.getLong("rules_shown")).isEqualTo(4);
    assertThat(lib.getLong("rules_not_shown")).isEqualTo(RULES - 4);
    assertThat(lib.getJsonArray("not_shown_item_ids")).hasSize(RULES - 4).doesNotContainAnyElementsOf(shown);
    long stored = Http.await(server.pool().query("SELECT count(*) FROM led_play WHERE client_play_id LIKE 'p-%'").execute())
        .iterator().next().getLong(0);
    assertThat(stored).isEqualTo(15);
  }

  @Test
  void unreadableOrRefusedRecordsGoToTheDeadLetterTopicAndTheSinkMovesOn(TestInfra infra) throws Exception {
    org.qingfeng.kafka.Topics topics = new org.qingfeng.kafka.Topics(infra.topicPrefix());
    long screen = LedClient.idOf(creds.get(2));
    String hash = led.poll(creds.get(2), null).bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("content_hash");
    long item = led.poll(creds.get(2), null).bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getLong("item_id");
    PlayRecord orphan = record(999_999, "orphan", item, hash);
    PlayRecord good = record(screen, "after-dlq", item, hash);
    Map<String, Object> cfg = new HashMap<>(org.qingfeng.kafka.KafkaSettings.producer(infra.kafkaBootstrap(), "test-dlq"));
    try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(cfg)) {
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topics.ledPlays, "1", "{not json")).get();
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topics.ledPlays, "999999",
          com.jsoniter.output.JsonStream.serialize(orphan))).get();
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topics.ledPlays, Long.toString(screen),
          com.jsoniter.output.JsonStream.serialize(good))).get();
    }
    Map<String, Object> ccfg = new HashMap<>(org.qingfeng.kafka.KafkaSettings.consumer(infra.kafkaBootstrap(), infra.groupId("dlq-reader"), "t"));
    List<String> dead = new ArrayList<>();
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(ccfg)) {
      consumer.subscribe(List.of(topics.dlq));
      long until = System.currentTimeMillis() + 30_000;
      while (dead.size() < 2 && System.currentTimeMillis() < until) {
        consumer.poll(java.time.Duration.ofMillis(200)).forEach(r -> dead.add(r.value()));
      }
    }
    assertThat(dead).hasSize(2);
    assertThat(dead).anySatisfy(d -> assertThat(new JsonObject(d).getString("reason")).isEqualTo("unreadable play record"));
    assertThat(dead).anySatisfy(d -> assertThat(new JsonObject(d).getString("record")).contains("orphan"));
    long stored = 0;
    for (int i = 0; i < 100 && stored == 0; i++) {
      stored = Http.await(server.pool().query("SELECT count(*) FROM led_play WHERE client_play_id = 'after-dlq'").execute())
          .iterator().next().getLong(0);
      Thread.sleep(100);
    }
    assertThat(stored).isEqualTo(1);
  }

  static PlayRecord record(long screen, String id, long item, String hash) {
    PlayRecord p = new PlayRecord();
    p.screenId = screen;
    p.clientPlayId = id;
    p.itemId = item;
    p.contentHash = hash;
    p.startedAtMs = System.currentTimeMillis() - 2 * 86_400_000L;
    p.durationMs = 1000;
    p.receivedAtMs = System.currentTimeMillis();
    return p;
  }

  static JsonObject play(String id, long item, String hash, Instant at) {
    return new JsonObject().put("client_play_id", id).put("item_id", item).put("content_hash", hash)
        .put("started_at", at.toString()).put("duration_ms", 15_000);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
