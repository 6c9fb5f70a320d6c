package org.qingfeng.sms;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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

@QingfengTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SmsPreviewApiTest {
  static QingfengServer server;
  static Http http;
  static String viewer;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_SMS_MAX_PARTS", "3"));
    http = new Http(server.httpPort());
    viewer = http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN, "{\"role\":\"viewer\",\"name\":\"v\"}")
        .bodyAsJsonObject().getString("token");
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
  void gsmTextIsOneGsm7Part() {
    JsonObject p = preview(new JsonObject().put("text", "Happy Spring Festival! Keep it clean."));
    assertThat(p.getString("encoding")).isEqualTo("GSM7");
    assertThat(p.getInteger("characters")).isEqualTo(37);
    assertThat(p.getInteger("parts")).isEqualTo(1);
  }

  @Test
  void signatureCountsTowardLengthAndMakesUcs2() {
    String text = "春节将至，请廉洁过节，严守中央八项规定精神。";
    JsonObject p = preview(new JsonObject().put("text", text).put("signature", "【余庆县纪委】"));
    assertThat(p.getString("encoding")).isEqualTo("UCS2");
    assertThat(p.getInteger("characters")).isEqualTo(text.length() + "【余庆县纪委】".length());
    assertThat(p.getJsonArray("parts_text").getString(0)).startsWith("【余庆县纪委】春节");
  }

  @Test
  void longTextIsSplitNeverTruncated() {
    String text = "廉".repeat(100);
    JsonObject p = preview(new JsonObject().put("text", text));
    assertThat(p.getInteger("parts")).isEqualTo(2);
    assertThat(p.getJsonArray("parts_text").getString(0)).hasSize(67);
    assertThat(p.getJsonArray("parts_text").getString(0) + p.getJsonArray("parts_text").getString(1)).isEqualTo(text);
  }

  @Test
  void badInputIs422ProblemJson() {
    assertThat(status("{\"text\":\"\"}")).isEqualTo(422);
    assertThat(status("{\"signature\":\"x\"}")).isEqualTo(422);
    assertThat(status("{\"text\":\"" + "廉".repeat(67 * 3 + 1) + "\"}")).isEqualTo(422);
    assertThat(status("{\"text\":\"bad \\ud800 surrogate\"}")).isEqualTo(422);
    assertThat(status("{\"text\":42}")).isEqualTo(422);
    HttpResponse<Buffer> tooLong = http.postJson("/api/v1/sms/preview", viewer, "{\"text\":\"" + "廉".repeat(300) + "\"}");
    assertThat(tooLong.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(tooLong.bodyAsJsonObject().getString("detail")).contains("limit is 3 parts");
    assertThat(tooLong.bodyAsJsonObject().getString("code")).isEqualTo("TOO_LONG");
    assertThat(http.postJson("/api/v1/sms/preview", null, "{\"text\":\"x\"}").statusCode()).isEqualTo(401);
  }

  private static int status(String json) {
    return http.postJson("/api/v1/sms/preview", viewer, json).statusCode();
  }

  private static JsonObject preview(JsonObject body) {
    HttpResponse<Buffer> res = http.postJson("/api/v1/sms/preview", viewer, body.encode());
    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(200);
    return res.bodyAsJsonObject();
  }
}
