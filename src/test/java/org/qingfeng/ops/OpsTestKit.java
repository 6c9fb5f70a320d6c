package org.qingfeng.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.TestInfra;

/** Tokens by role and a demo blast (contacts by SQL, a campaign created and approved through the API). */
final class OpsTestKit {
  private OpsTestKit() {
  }

  static String token(Http http, String role) {
    HttpResponse<Buffer> res = http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN,
        new JsonObject().put("role", role).put("name", "ops-" + role).encode());
    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(201);
    return res.bodyAsJsonObject().getString("token");
  }

  /**
   * Inserts {@code count} members tagged {@code tag} (numbers from {@code firstNumber}) and starts a campaign to
   * them in about two seconds at {@code ratePerSecond}; returns the campaign id.
   */
  static long blast(Http http, Pool pool, String operator, String approver, String tag, int firstNumber, int count,
      int ratePerSecond) {
    String[] phones = new String[count];
    for (int i = 0; i < count; i++) {
      phones[i] = String.format("+86139%08d", firstNumber + i);
    }
    Http.await(pool.preparedQuery("INSERT INTO contact (phone, name, unit, township, tags) "
        + "SELECT p, '党员', '纪委', '白泥镇', ARRAY[$2::text] FROM unnest($1::text[]) AS p").execute(Tuple.of(phones, tag)));
    Instant sendAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
    JsonObject body = new JsonObject().put("name", "国庆廉洁提醒 " + tag).put("text", "清风送节，廉洁过节。请勿收受礼品礼金。")
        .put("signature", "【余庆县纪委】").put("audience", new JsonObject().put("tags_any", new JsonArray().add(tag)))
        .put("send_at", OffsetDateTime.ofInstant(sendAt, ZoneOffset.ofHours(8)).toString()).put("max_rate", ratePerSecond);
    long id = post(http, "/api/v1/campaigns", operator, body, 201).getLong("id");
    post(http, "/api/v1/campaigns/" + id + "/submit", operator, null, 200);
    post(http, "/api/v1/campaigns/" + id + "/approve", approver, null, 200);
    return id;
  }

  static JsonObject post(Http http, String path, String token, JsonObject body, int expected) {
    HttpResponse<Buffer> res = http.postJson(path, token, body == null ? "{}" : body.encode());
    assertThat(res.statusCode()).as("%s -> %s", path, res.bodyAsString()).isEqualTo(expected);
    return res.bodyAsJsonObject();
  }

  static JsonObject campaignIn(JsonObject state, long id) {
    for (Object o : state.getJsonArray("campaigns")) {
      if (((JsonObject) o).getLong("id") == id) {
        return (JsonObject) o;
      }
    }
    return null;
  }

  /** Applies a delta to the client-side state, section by section, as the page does. */
  static void apply(JsonObject state, JsonObject delta) {
    for (String k : delta.fieldNames()) {
      if (!k.equals("point") && !k.equals("base")) {
        state.put(k, delta.getValue(k));
      }
    }
  }
}
