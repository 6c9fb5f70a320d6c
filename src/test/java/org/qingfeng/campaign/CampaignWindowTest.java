package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.campaign.CampaignFixtures.get;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.app.ServerHooks;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/** Send windows and expiry under a fake clock (Asia/Shanghai, window 08:00–21:00); the clock only moves forward. */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CampaignWindowTest {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final MutableClock CLOCK = new MutableClock(at("2026-02-16T07:00:00"));
  static final RecordingGateway GATEWAY = new RecordingGateway(CLOCK);
  static final JsonObject WINDOW = new JsonObject().put("start", "08:00").put("end", "21:00");
  static QingfengServer server;
  static Http http;
  static String operator;
  static String approver;

  static Instant at(String localShanghai) {
    return java.time.LocalDateTime.parse(localShanghai).atZone(SHANGHAI).toInstant();
  }

  static String iso(String localShanghai) {
    return OffsetDateTime.ofInstant(at(localShanghai), SHANGHAI).toString();
  }

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_CAMPAIGN_SCHEDULER_TICK_MS", "50"),
        ServerHooks.defaults().clock(CLOCK).gateway(v -> GATEWAY));
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

  private static long approve(String tag, String sendAt, String expireAt, int rate) {
    JsonObject body = CampaignFixtures.campaign(tag, iso(sendAt), CampaignFixtures.tagged(tag)).put("send_window", WINDOW)
        .put("max_rate", rate);
    if (expireAt != null) {
      body.put("expire_at", iso(expireAt));
    }
    return CampaignFixtures.approved(http, operator, approver, body);
  }

  private static JsonObject details(long id) {
    return get(http, "/api/v1/campaigns/" + id, operator);
  }

  private static void awaitStatus(long id, String status, String reason) throws InterruptedException {
    CampaignFixtures.await("campaign " + id + " " + status, Duration.ofSeconds(60), () -> {
      JsonObject d = details(id);
      return status.equals(d.getString("status")) && (reason == null || reason.equals(d.getString("pause_reason")));
    });
  }

  private static List<RecordingGateway.Sent> sentTo(List<String> phones) {
    Set<String> set = Set.copyOf(phones);
    return GATEWAY.sent().stream().filter(s -> set.contains(s.destination)).collect(Collectors.toList());
  }

  private static void assertInsideWindow(List<RecordingGateway.Sent> sent) {
    assertThat(sent).allSatisfy(s -> {
      LocalTime t = s.at.atZone(SHANGHAI).toLocalTime();
      assertThat(t).as("submitted at %s", t).isBetween(LocalTime.of(8, 0), LocalTime.of(20, 59, 59, 999_999_999));
    });
  }

  @Test
  @Order(1)
  void aCampaignDueBeforeItsWindowIsHeldAndStartsWhenTheWindowOpens() throws Exception {
    List<String> phones = contacts("early", 0, 300);
    long id = approve("early", "2026-02-16T07:30:00", null, 10_000);
    CLOCK.set(at("2026-02-16T07:30:00"));
    awaitStatus(id, "paused", "window");
    Thread.sleep(500);
    assertThat(sentTo(phones)).isEmpty();

    CLOCK.set(at("2026-02-16T08:00:00"));
    awaitStatus(id, "completed", null);
    assertThat(sentTo(phones)).hasSize(300);
    assertThat(sentTo(phones).stream().map(s -> s.destination).distinct()).hasSize(300);
    assertInsideWindow(sentTo(phones));
    assertThat(details(id).getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("action")))
        .containsSubsequence("start", "hold", "release", "complete");
  }

  @Test
  @Order(2)
  void aRunningBlastIsHeldWhenTheWindowClosesAndResumesNextMorningWithoutRepeats() throws Exception {
    List<String> phones = contacts("evening", 1000, 1000);
    long id = approve("evening", "2026-02-16T20:59:50", null, 200);
    CLOCK.set(at("2026-02-16T20:59:50"));
    CampaignFixtures.await("first sends", Duration.ofSeconds(30), () -> sentTo(phones).size() >= 100);
    CLOCK.set(at("2026-02-16T21:00:00"));
    awaitStatus(id, "paused", "window");
    Thread.sleep(300);
    int held = sentTo(phones).size();
    assertThat(held).isLessThan(1000);
    Thread.sleep(1000);
    assertThat(sentTo(phones)).as("nothing submitted outside the window").hasSize(held);
    assertThat(details(id).getJsonObject("progress").getJsonObject("by_status").getInteger("queued")).isEqualTo(1000 - held);

    CLOCK.set(at("2026-02-17T08:00:00"));
    awaitStatus(id, "completed", null);
    List<RecordingGateway.Sent> sent = sentTo(phones);
    assertThat(sent).hasSize(1000);
    assertThat(sent.stream().map(s -> s.destination).distinct()).hasSize(1000);
    assertInsideWindow(sent);
  }

  @Test
  @Order(3)
  void afterDowntimeALateCampaignStartsBeforeExpiryAndExpiresAfterIt() throws Exception {
    List<String> latePhones = contacts("late", 5000, 50);
    List<String> tooLatePhones = contacts("toolate", 6000, 50);
    long late = approve("late", "2026-02-17T09:00:00", "2026-02-17T12:00:00", 10_000);
    long tooLate = approve("toolate", "2026-02-17T09:00:00", "2026-02-17T10:00:00", 10_000);
    // The server "was down" from before 09:00 until 11:00.
    CLOCK.set(at("2026-02-17T11:00:00"));
    awaitStatus(tooLate, "expired", null);
    awaitStatus(late, "completed", null);
    assertThat(sentTo(latePhones)).hasSize(50);
    assertThat(sentTo(tooLatePhones)).isEmpty();
    JsonObject lateEvents = details(late);
    assertThat(lateEvents.getJsonArray("events").stream().map(e -> (JsonObject) e)
        .filter(e -> "start".equals(e.getString("action"))).findFirst().orElseThrow().getString("detail"))
        .isEqualTo("started 7200 s late");
    assertThat(details(tooLate).getJsonObject("progress").getInteger("messages")).isZero();
  }

  @Test
  @Order(4)
  void aRunningCampaignPastExpiryStopsAndItsQueuedMessagesExpire() throws Exception {
    List<String> phones = contacts("expiring", 8000, 1000);
    long id = approve("expiring", "2026-02-17T12:00:00", "2026-02-17T12:30:00", 100);
    CLOCK.set(at("2026-02-17T12:00:00"));
    CampaignFixtures.await("first sends", Duration.ofSeconds(30), () -> sentTo(phones).size() >= 50);
    CLOCK.set(at("2026-02-17T12:30:00"));
    awaitStatus(id, "expired", null);
    CampaignFixtures.await("claimed messages settled", Duration.ofSeconds(30), () -> {
      JsonObject by = details(id).getJsonObject("progress").getJsonObject("by_status");
      return by.getInteger("submitting") == null && by.getInteger("queued") == null;
    });
    int sent = sentTo(phones).size();
    assertThat(sent).isLessThan(1000);
    assertThat(sentTo(phones)).allSatisfy(s -> assertThat(s.at).isBefore(at("2026-02-17T12:30:00")));
    JsonObject byStatus = details(id).getJsonObject("progress").getJsonObject("by_status");
    assertThat(byStatus.getInteger("submitted")).isEqualTo(sent);
    assertThat(byStatus.getInteger("expired") + sent).isEqualTo(1000);
  }
}
