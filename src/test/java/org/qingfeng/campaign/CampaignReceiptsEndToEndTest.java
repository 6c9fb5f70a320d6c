package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The whole loop in one server: campaign → sender → SMPP → simulator → receipts → Kafka
 * sms.events → receipt sink → the campaign's delivery statistics.
 */
@QingfengTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CampaignReceiptsEndToEndTest {
  static final int CONTACTS = 400;
  static QingfengServer server;
  static Http http;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of(
        "QINGFENG_SMS_SIMULATOR_RECEIPT_DELAY_MS", "20",
        "QINGFENG_SMS_SIMULATOR_RECEIPT_MIX", "DELIVRD=90,UNDELIV=10,EXPIRED=0,REJECTD=0",
        "QINGFENG_RECEIPTS_BATCH_LINGER_MS", "100"));
    http = new Http(server.httpPort());
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
  void everyReceiptLandsInTheCampaignsStatistics() throws Exception {
    List<String> phones = new ArrayList<>();
    for (int i = 0; i < CONTACTS; i++) {
      phones.add(CampaignFixtures.mobile(i));
    }
    CampaignFixtures.insertContacts(server.pool(), phones, "loop");
    String operator = CampaignFixtures.token(http, "operator", "op");
    String approver = CampaignFixtures.token(http, "approver", "ap");
    String viewer = CampaignFixtures.token(http, "viewer", "vw");
    Instant sendAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
    long id = CampaignFixtures.approved(http, operator, approver, CampaignFixtures.campaign("国庆廉洁提醒",
        OffsetDateTime.ofInstant(sendAt, ZoneOffset.ofHours(8)).toString(), CampaignFixtures.tagged("loop")));

    CampaignFixtures.await("every receipt applied", Duration.ofSeconds(150), () -> {
      JsonObject byStatus = stats(id, viewer).getJsonObject("by_status", new JsonObject());
      return byStatus.getLong("delivered", 0L) + byStatus.getLong("failed", 0L) == CONTACTS;
    });
    JsonObject stats = stats(id, viewer);
    assertThat(stats.getLong("messages")).isEqualTo(CONTACTS);
    assertThat(stats.getDouble("delivery_rate")).isBetween(0.8, 0.97);
    assertThat(stats.getJsonObject("latency_ms").getLong("samples")).isPositive();
    assertThat(stats.getJsonArray("errors")).isNotEmpty();

    // Per-message outcomes, read from the real ledger: full numbers for an operator, masked for a viewer.
    String full = http.get("/api/v1/campaigns/" + id + "/messages.csv", operator).bodyAsString();
    String masked = http.get("/api/v1/campaigns/" + id + "/messages.csv", viewer).bodyAsString();
    assertThat(full.split("\n")).hasSize(CONTACTS + 1);
    assertThat(masked.split("\n")).hasSize(CONTACTS + 1);
    String phone = CampaignFixtures.mobile(7);
    assertThat(full).contains("," + phone + ",");
    assertThat(masked).doesNotContain(phone).contains("," + org.qingfeng.sms.PhoneMask.mask(phone) + ",");
    assertThat(org.qingfeng.sms.PhoneMask.mask(phone)).contains("*");
    for (String line : masked.split("\n")) {
      assertThat(line).doesNotContainPattern("\\+86139\\d{8}");
    }
  }

  private static JsonObject stats(long id, String token) {
    return CampaignFixtures.get(http, "/api/v1/campaigns/" + id + "/stats", token);
  }
}
