package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.campaign.CampaignFixtures.campaign;
import static org.qingfeng.campaign.CampaignFixtures.get;
import static org.qingfeng.campaign.CampaignFixtures.post;
import static org.qingfeng.campaign.CampaignFixtures.tagged;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.app.ServerHooks;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/** The campaign API: validation that writes nothing, four-eyes approval, edit rules, transitions with who, test sends. */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CampaignApiTest {
  static final Instant NOW = Instant.parse("2026-02-10T00:00:00Z");
  static final String LATER = "2026-02-16T09:00:00+08:00";
  static final MutableClock CLOCK = new MutableClock(NOW);
  static final RecordingGateway GATEWAY = new RecordingGateway(CLOCK);
  static QingfengServer server;
  static Http http;
  static String operator;
  static String operator2;
  static String approver;
  static String viewer;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_SMS_CHANNELS", ""),
        ServerHooks.defaults().clock(CLOCK).gateway(v -> GATEWAY));
    http = new Http(server.httpPort());
    operator = CampaignFixtures.token(http, "operator", "op-li");
    operator2 = CampaignFixtures.token(http, "operator", "op-wang");
    approver = CampaignFixtures.token(http, "approver", "ap-zhao");
    viewer = CampaignFixtures.token(http, "viewer", "viewer-chen");
    CampaignFixtures.insertContacts(server.pool(), List.of("+8613900000001", "+8613900000002"), "member");
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

  private long campaigns() {
    return CampaignFixtures.scalar(server.pool(), "SELECT count(*) FROM campaign");
  }

  private void refused(JsonObject body, int status, String detailPart) {
    long before = campaigns();
    HttpResponse<Buffer> res = http.postJson("/api/v1/campaigns", operator, body.encode());
    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(status);
    assertThat(res.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(res.bodyAsJsonObject().getString("detail")).contains(detailPart);
    assertThat(campaigns()).as("nothing written").isEqualTo(before);
  }

  @Test
  void badInputIsRefusedWithNothingWritten() {
    refused(campaign("x", LATER, tagged("nobody-has-this-tag")), 422, "matches no contact");
    refused(campaign("x", "2026-02-09T09:00:00+08:00", tagged("member")), 422, "in the past");
    refused(campaign("x", LATER, tagged("member")).put("expire_at", "2026-02-16T08:00:00+08:00"), 422, "expire_at");
    refused(campaign("x", LATER, tagged("member")).put("time_zone", "Mars/Olympus"), 422, "time_zone");
    refused(campaign("x", LATER, tagged("member")).put("send_window", new JsonObject().put("start", "25:00").put("end", "21:00")),
        422, "send_window.start");
    refused(campaign("x", LATER, tagged("member")).put("send_window", new JsonObject().put("start", "08:00").put("end", "08:00")),
        422, "must differ");
    refused(campaign("x", LATER, tagged("member")).put("channel", "unicom"), 422, "not configured");
    refused(campaign("x", LATER, new JsonObject()), 422, "selects nobody");
    refused(campaign("x", LATER, tagged("member")).put("template_id", 3), 422, "exactly one");
    JsonObject templated = campaign("x", LATER, tagged("member"));
    templated.remove("text");
    refused(templated.put("template_id", 999_999), 422, "does not exist");
    refused(campaign("x", LATER, tagged("member")).put("text", "长".repeat(2000)), 422, "cannot be sent as SMS");
    refused(campaign("x", LATER, tagged("member")).put("sendAt", LATER), 422, "not a campaign field");
    refused(campaign("x", LATER, tagged("member")).put("max_rate", 0), 422, "max_rate");
    HttpResponse<Buffer> notJson = http.send(HttpMethod.POST, "/api/v1/campaigns", operator, "text/plain", "hi");
    assertThat(notJson.statusCode()).isEqualTo(415);
    HttpResponse<Buffer> asViewer = http.postJson("/api/v1/campaigns", viewer, campaign("x", LATER, tagged("member")).encode());
    assertThat(asViewer.statusCode()).isEqualTo(403);
  }

  @Test
  void fourEyesApprovalAndEditOnlyInDraft() {
    JsonObject body = campaign("春节廉洁提醒", LATER, tagged("member")).put("send_window",
        new JsonObject().put("start", "08:00").put("end", "21:00")).put("expire_at", "2026-02-17T21:00:00+08:00");
    JsonObject created = post(http, "/api/v1/campaigns", operator, body, 201);
    long id = created.getLong("id");
    assertThat(created.getString("status")).isEqualTo("draft");
    assertThat(created.getString("time_zone")).isEqualTo("Asia/Shanghai");
    assertThat(created.getString("send_at")).isEqualTo("2026-02-16T09:00+08:00");

    JsonObject edited = body.copy().put("name", "春节廉洁提醒（改）");
    assertThat(http.send(HttpMethod.PUT, "/api/v1/campaigns/" + id, operator, "application/json", edited.encode()).statusCode())
        .isEqualTo(200);
    // Approving a draft is a conflict: it has to be submitted first.
    post(http, "/api/v1/campaigns/" + id + "/approve", approver, null, 409);
    post(http, "/api/v1/campaigns/" + id + "/submit", operator, null, 200);
    HttpResponse<Buffer> editAfterSubmit = http.send(HttpMethod.PUT, "/api/v1/campaigns/" + id, operator, "application/json",
        body.encode());
    assertThat(editAfterSubmit.statusCode()).as(editAfterSubmit.bodyAsString()).isEqualTo(409);

    // The reject path: back to draft with the reason, editable again.
    post(http, "/api/v1/campaigns/" + id + "/reject", approver, new JsonObject().put("reason", "落款不对"), 200);
    assertThat(http.send(HttpMethod.PUT, "/api/v1/campaigns/" + id, operator, "application/json", body.encode()).statusCode())
        .isEqualTo(200);
    post(http, "/api/v1/campaigns/" + id + "/submit", operator, null, 200);

    // An admin who created a campaign may not approve it either; an operator may not approve at all.
    long adminMade = post(http, "/api/v1/campaigns", TestInfra.ADMIN_TOKEN, body, 201).getLong("id");
    post(http, "/api/v1/campaigns/" + adminMade + "/submit", TestInfra.ADMIN_TOKEN, null, 200);
    JsonObject self = post(http, "/api/v1/campaigns/" + adminMade + "/approve", TestInfra.ADMIN_TOKEN, null, 403);
    assertThat(self.getString("detail")).contains("creator");
    post(http, "/api/v1/campaigns/" + id + "/approve", operator2, null, 403);

    JsonObject approved = post(http, "/api/v1/campaigns/" + id + "/approve", approver, null, 200);
    assertThat(approved.getString("status")).isEqualTo("scheduled");
    HttpResponse<Buffer> editApproved = http.send(HttpMethod.PUT, "/api/v1/campaigns/" + id, operator, "application/json",
        body.encode());
    assertThat(editApproved.statusCode()).isEqualTo(409);
    post(http, "/api/v1/campaigns/" + id + "/resume", operator, null, 409);
    post(http, "/api/v1/campaigns/" + id + "/pause", operator, null, 409);
    post(http, "/api/v1/campaigns/" + id + "/test-send", operator,
        new JsonObject().put("phones", new JsonArray().add("+8613900000001")), 409);

    JsonObject details = get(http, "/api/v1/campaigns/" + id, viewer);
    JsonArray events = details.getJsonArray("events");
    assertThat(events.stream().map(e -> ((JsonObject) e).getString("action") + ":"
        + ((JsonObject) e).getJsonObject("actor").getString("name")))
        .containsExactly("create:op-li", "edit:op-li", "submit:op-li", "reject:ap-zhao", "edit:op-li", "submit:op-li",
            "approve:ap-zhao");
    assertThat(((JsonObject) events.getValue(3)).getString("detail")).isEqualTo("落款不对");

    JsonObject cancelled = post(http, "/api/v1/campaigns/" + id + "/cancel", operator, null, 200);
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    post(http, "/api/v1/campaigns/" + id + "/cancel", operator, null, 409);
    assertThat(http.postJson("/api/v1/campaigns/999999/submit", operator, "{}").statusCode()).isEqualTo(404);
  }

  @Test
  void testSendGoesToAtMostFiveNumbersBeforeApproval() {
    long id = post(http, "/api/v1/campaigns", operator, campaign("试发", LATER, tagged("member")), 201).getLong("id");
    JsonArray six = new JsonArray();
    for (int i = 0; i < 6; i++) {
      six.add(CampaignFixtures.mobile(500 + i));
    }
    int before = GATEWAY.count();
    post(http, "/api/v1/campaigns/" + id + "/test-send", operator, new JsonObject().put("phones", six), 422);
    post(http, "/api/v1/campaigns/" + id + "/test-send", operator,
        new JsonObject().put("phones", new JsonArray().add("13800000000")), 422);
    assertThat(GATEWAY.count()).isEqualTo(before);
    JsonObject res = post(http, "/api/v1/campaigns/" + id + "/test-send", operator,
        new JsonObject().put("phones", new JsonArray().add("+8613900000501").add("+8613900000502")), 200);
    assertThat(res.getJsonArray("results")).hasSize(2);
    assertThat(GATEWAY.count()).isEqualTo(before + 2);
    assertThat(GATEWAY.sent().get(before).text).isEqualTo("【余庆县纪委】清风送节，廉洁过节。请勿收受礼品礼金。");
    JsonObject details = get(http, "/api/v1/campaigns/" + id, operator);
    JsonObject last = details.getJsonArray("events").getJsonObject(details.getJsonArray("events").size() - 1);
    assertThat(last.getString("action")).isEqualTo("test_send");
    assertThat(last.getString("detail")).contains("+86139****0501").doesNotContain("+8613900000501");
    assertThat(CampaignFixtures.scalar(server.pool(), "SELECT count(*) FROM message WHERE campaign_id = $1", id)).isZero();
  }

  @Test
  void listsCampaignsWithCursorAndFilters() {
    for (int i = 0; i < 3; i++) {
      post(http, "/api/v1/campaigns", operator2, campaign("列表" + i, LATER, tagged("member")), 201);
    }
    JsonObject first = get(http, "/api/v1/campaigns?status=draft&limit=2", viewer);
    assertThat(first.getJsonArray("items")).hasSize(2);
    String cursor = first.getString("next_cursor");
    assertThat(cursor).isNotNull();
    JsonObject second = get(http, "/api/v1/campaigns?status=draft&limit=2&cursor=" + cursor, viewer);
    assertThat(second.getJsonArray("items")).isNotEmpty();
    assertThat(second.getJsonArray("items").getJsonObject(0).getLong("id")).isLessThan(Long.parseLong(cursor));
    assertThat(http.get("/api/v1/campaigns?status=bogus", viewer).statusCode()).isEqualTo(400);
    assertThat(http.get("/api/v1/campaigns/abc", viewer).statusCode()).isEqualTo(404);
    assertThat(http.get("/api/v1/messages?phone=123", viewer).statusCode()).isEqualTo(400);
  }
}
