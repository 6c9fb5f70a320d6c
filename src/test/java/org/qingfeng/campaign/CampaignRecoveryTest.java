package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.app.ServerHooks;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/** Operator pause/resume, lost submit responses (outcome unknown, resubmitted and counted) and stuck submits found by the sweep. */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CampaignRecoveryTest {
  static final RecordingGateway RECORDER = new RecordingGateway(Clock.systemUTC());
  /** Destinations whose first submit loses its response (the link dropped after the SMSC took it). */
  static final Set<String> LOSE_FIRST_RESPONSE = ConcurrentHashMap.newKeySet();
  /** Destinations whose submit answers only after the stuck-submitting timeout. */
  static final Set<String> SLOW = ConcurrentHashMap.newKeySet();
  static QingfengServer server;
  static Http http;
  static String operator;
  static String approver;

  static final SmsGateway GATEWAY = (channel, messageId, destination, text) -> {
    Future<SendResult> recorded = RECORDER.send(channel, messageId, destination, text);
    if (LOSE_FIRST_RESPONSE.remove(destination)) {
      return Future.failedFuture(new IllegalStateException("link lost before submit_sm_resp"));
    }
    if (SLOW.remove(destination)) {
      Promise<SendResult> later = Promise.promise();
      CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS).execute(() -> later.complete(recorded.result()));
      return later.future();
    }
    return recorded;
  };

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_CAMPAIGN_SUBMITTING_TIMEOUT_SECONDS", "2",
        "QINGFENG_CAMPAIGN_FREQUENCY_CAP_PER_DAY", "0"), ServerHooks.defaults().gateway(v -> GATEWAY));
    http = new Http(server.httpPort());
    operator = CampaignFixtures.token(http, "operator", "op");
    approver = CampaignFixtures.token(http, "approver", "ap");
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

  private static List<String> contacts(String tag, int from, int n) {
    List<String> phones = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      phones.add(CampaignFixtures.mobile(i));
    }
    CampaignFixtures.insertContacts(server.pool(), phones, tag);
    return phones;
  }

  private static long startSoon(String tag, int rate) {
    String sendAt = OffsetDateTime.ofInstant(Instant.now().plusSeconds(2), ZoneOffset.ofHours(8)).toString();
    return CampaignFixtures.approved(http, operator, approver,
        CampaignFixtures.campaign(tag, sendAt, CampaignFixtures.tagged(tag)).put("max_rate", rate));
  }

  private static JsonObject details(long id) {
    return CampaignFixtures.get(http, "/api/v1/campaigns/" + id, operator);
  }

  private static Map<String, Long> sendsTo(List<String> phones) {
    Set<String> set = Set.copyOf(phones);
    return RECORDER.sent().stream().filter(s -> set.contains(s.destination))
        .collect(Collectors.groupingBy(s -> s.destination, Collectors.counting()));
  }

  @Test
  void pausedByOperatorNothingGoesOutAndResumeSendsTheRestOnce() throws Exception {
    List<String> phones = contacts("pause", 0, 800);
    long id = startSoon("pause", 100);
    CampaignFixtures.await("first sends", Duration.ofSeconds(30), () -> sendsTo(phones).size() >= 100);
    CampaignFixtures.post(http, "/api/v1/campaigns/" + id + "/pause", operator, null, 200);
    CampaignFixtures.await("claimed messages settled", Duration.ofSeconds(30),
        () -> details(id).getJsonObject("progress").getJsonObject("by_status").getInteger("submitting") == null);
    Thread.sleep(300);
    int atPause = sendsTo(phones).size();
    assertThat(atPause).isLessThan(800);
    Thread.sleep(1000);
    assertThat(sendsTo(phones)).hasSize(atPause);
    assertThat(details(id).getString("pause_reason")).isEqualTo("operator");

    CampaignFixtures.post(http, "/api/v1/campaigns/" + id + "/resume", operator, null, 200);
    CampaignFixtures.await("completed", Duration.ofSeconds(60), () -> "completed".equals(details(id).getString("status")));
    Map<String, Long> sends = sendsTo(phones);
    assertThat(sends).hasSize(800);
    assertThat(sends.values()).allMatch(n -> n == 1);
  }

  @Test
  void lostResponsesAreResubmittedAndCountedStuckSubmitsAreSweptAndCounted() throws Exception {
    List<String> phones = contacts("flaky", 10_000, 300);
    LOSE_FIRST_RESPONSE.addAll(phones.subList(0, 10));
    SLOW.addAll(phones.subList(100, 105));
    double unknownBefore = server.registry().counter("qingfeng.sender.messages", "outcome", "outcome_unknown").count();
    long id = startSoon("flaky", 1000);
    CampaignFixtures.await("completed", Duration.ofSeconds(60), () -> "completed".equals(details(id).getString("status")));

    Map<String, Long> sends = sendsTo(phones);
    assertThat(sends).hasSize(300);
    Set<String> twice = sends.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.toSet());
    // The only repeats are the counted outcome-unknown resubmits.
    assertThat(twice).isEqualTo(Set.copyOf(phones.subList(0, 10)));
    assertThat(sends.values()).allMatch(n -> n <= 2);
    JsonObject d = details(id);
    // 10 lost responses, plus 5 slow submits the sweep found in submitting (their late results still count as sent).
    assertThat(d.getJsonObject("progress").getInteger("outcome_unknown")).isEqualTo(15);
    assertThat(d.getJsonObject("progress").getJsonObject("by_status").getInteger("submitted")).isEqualTo(300);
    assertThat(server.registry().counter("qingfeng.sender.messages", "outcome", "outcome_unknown").count() - unknownBefore)
        .isEqualTo(10.0);
    assertThat(server.registry().counter("qingfeng.campaign.outcome.unknown").count()).isGreaterThanOrEqualTo(5.0);
    assertThat(CampaignFixtures.scalar(server.pool(),
        "SELECT count(*) FROM message WHERE campaign_id = $1 AND outcome_unknown > 0", id)).isEqualTo(15);
  }
}
