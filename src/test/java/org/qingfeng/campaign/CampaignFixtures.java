package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.TestInfra;

/** Helpers shared by the campaign tests: contacts by SQL, tokens by role, campaign requests, waiting. */
final class CampaignFixtures {
  private CampaignFixtures() {
  }

  /** A valid mainland mobile number for index i (distinct for i below 100 million). */
  static String mobile(int i) {
    return String.format("+86139%08d", i);
  }

  /** Inserts contacts with the given phones (tag "member", unit "纪委", township "白泥镇") and returns their ids in order. */
  static List<Long> insertContacts(Pool pool, List<String> phones, String tag) {
    String[] p = phones.toArray(new String[0]);
    String[] names = new String[p.length];
    for (int i = 0; i < p.length; i++) {
      names[i] = "党员" + i;
    }
    var rows = Http.await(pool.preparedQuery("INSERT INTO contact (phone, name, unit, township, tags) "
            + "SELECT u.phone, u.name, '纪委', '白泥镇', ARRAY[$3::text] FROM unnest($1::text[], $2::text[]) AS u(phone, name) "
            + "RETURNING id")
        .execute(Tuple.of(p, names, tag)));
    List<Long> ids = new ArrayList<>();
    for (Row r : rows) {
      ids.add(r.getLong(0));
    }
    return ids;
  }

  static void optOut(Pool pool, List<String> phones) {
    Http.await(pool.preparedQuery("INSERT INTO opt_out (phone, source) SELECT unnest($1::text[]), 'api'")
        .execute(Tuple.of((Object) phones.toArray(new String[0]))));
  }

  static long scalar(Pool pool, String sql, Object... args) {
    Row r = Http.await(pool.preparedQuery(sql).execute(Tuple.from(args))).iterator().next();
    return ((Number) r.getValue(0)).longValue();
  }

  /** A running campaign inserted directly (no API), fully expanded or not; returns its id. */
  static long runningCampaign(Pool pool, String name, boolean expandDone) {
    return scalar(pool, "INSERT INTO campaign (name, text, audience, channel, send_at, time_zone, max_rate, status, "
        + "created_by, created_by_name, expand_done) VALUES ($1, '清风', '{}', 'default', now(), 'Asia/Shanghai', 10, "
        + "'running', 1, 'operator', $2) RETURNING id", name, expandDone);
  }

  /** {@code n} queued ledger rows of the campaign, inserted directly; returns their ids in order. */
  static Long[] queuedMessages(Pool pool, long campaign, int n) {
    List<Long> ids = new ArrayList<>();
    Http.await(pool.preparedQuery("INSERT INTO message (campaign_id, contact_id, phone, text, parts, status, created_at, "
            + "updated_at) SELECT $1, c + g, '+86139' || lpad((c + g)::text, 8, '0'), '清风送节，廉洁过节。请勿收受礼品礼金。【余庆县纪委】', 1, "
            + "'queued', now(), now() FROM generate_series(1, $2) g, "
            + "(SELECT coalesce(max(contact_id), 0) AS c FROM message WHERE campaign_id = $1) last ORDER BY g RETURNING id")
        .execute(Tuple.of(campaign, n))).forEach(r -> ids.add(r.getLong(0)));
    ids.sort(null);
    return ids.toArray(new Long[0]);
  }

  static String token(Http http, String role, String name) {
    HttpResponse<Buffer> res = http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN,
        new JsonObject().put("role", role).put("name", name).encode());
    assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(201);
    return res.bodyAsJsonObject().getString("token");
  }

  static JsonObject campaign(String name, String sendAt, JsonObject audience) {
    return new JsonObject().put("name", name).put("text", "清风送节，廉洁过节。请勿收受礼品礼金。").put("signature", "【余庆县纪委】")
        .put("audience", audience).put("send_at", sendAt);
  }

  static JsonObject tagged(String tag) {
    return new JsonObject().put("tags_any", new JsonArray().add(tag));
  }

  static JsonObject post(Http http, String path, String token, JsonObject body, int expected) {
    HttpResponse<Buffer> res = http.postJson(path, token, body == null ? "{}" : body.encode());
    assertThat(res.statusCode()).as("%s -> %s", path, res.bodyAsString()).isEqualTo(expected);
    return res.bodyAsJsonObject();
  }

  static JsonObject get(Http http, String path, String token) {
    HttpResponse<Buffer> res = http.get(path, token);
    assertThat(res.statusCode()).as("%s -> %s", path, res.bodyAsString()).isEqualTo(200);
    return res.bodyAsJsonObject();
  }

  /** {@code count} distinct mobiles numbered from {@code first}. */
  static List<String> mobiles(int first, int count) {
    List<String> phones = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      phones.add(mobile(first + i));
    }
    return phones;
  }

  /**
   * The phones as contacts under {@code tag}, and an approved campaign to them due two seconds
   * from now at {@code maxRate}; returns its id.
   */
  static long approvedBlastDueSoon(Http http, Pool pool, String operator, String approver, String name, String tag,
      List<String> phones, int maxRate) {
    insertContacts(pool, phones, tag);
    String sendAt = OffsetDateTime.ofInstant(Instant.now().plusSeconds(2), ZoneOffset.ofHours(8)).toString();
    return approved(http, operator, approver, campaign(name, sendAt, tagged(tag)).put("max_rate", maxRate));
  }

  /** Creates, submits (operator) and approves (approver) a campaign; returns its id. */
  static long approved(Http http, String operator, String approver, JsonObject body) {
    long id = post(http, "/api/v1/campaigns", operator, body, 201).getLong("id");
    post(http, "/api/v1/campaigns/" + id + "/submit", operator, null, 200);
    post(http, "/api/v1/campaigns/" + id + "/approve", approver, null, 200);
    return id;
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  static String status(Http http, String token, long id) {
    return get(http, "/api/v1/campaigns/" + id, token).getString("status");
  }
}
