package org.qingfeng.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.util.EnumMap;
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

@QingfengTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AuthAndAuditTest {
  static QingfengServer server;
  static Http http;
  static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer();
    http = new Http(server.httpPort());
    TOKENS.put(Role.ADMIN, TestInfra.ADMIN_TOKEN);
    for (Role r : List.of(Role.OPERATOR, Role.APPROVER, Role.VIEWER)) {
      HttpResponse<Buffer> res = http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN,
          new JsonObject().put("role", r.wireName()).put("name", "test " + r.wireName()).encode());
      assertThat(res.statusCode()).isEqualTo(201);
      JsonObject body = res.bodyAsJsonObject();
      assertThat(body.getString("token")).startsWith("qf_").hasSizeGreaterThanOrEqualTo(46);
      TOKENS.put(r, body.getString("token"));
    }
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
  void missingOrBadTokenIs401ProblemJson() {
    for (String token : new String[] {null, "qf_not-a-real-token", ""}) {
      HttpResponse<Buffer> res = http.get("/api/v1/me", token);
      assertThat(res.statusCode()).isEqualTo(401);
      assertThat(res.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(res.getHeader("WWW-Authenticate")).startsWith("Bearer");
      assertThat(res.bodyAsJsonObject().getInteger("status")).isEqualTo(401);
    }
  }

  @Test
  void everyRoleIsRecognisedAndGuarded() {
    for (Role r : Role.values()) {
      HttpResponse<Buffer> me = http.get("/api/v1/me", TOKENS.get(r));
      assertThat(me.statusCode()).as("GET /me as %s", r).isEqualTo(200);
      assertThat(me.bodyAsJsonObject().getString("role")).isEqualTo(r.wireName());

      int expectedAdminOnly = r == Role.ADMIN ? 200 : 403;
      assertThat(http.get("/api/v1/audit", TOKENS.get(r)).statusCode()).as("GET /audit as %s", r).isEqualTo(expectedAdminOnly);
      assertThat(http.get("/api/v1/tokens", TOKENS.get(r)).statusCode()).as("GET /tokens as %s", r).isEqualTo(expectedAdminOnly);
      HttpResponse<Buffer> create = http.postJson("/api/v1/tokens", TOKENS.get(r), "{\"role\":\"viewer\",\"name\":\"by " + r + "\"}");
      assertThat(create.statusCode()).as("POST /tokens as %s", r).isEqualTo(r == Role.ADMIN ? 201 : 403);
      if (r != Role.ADMIN) {
        assertThat(create.bodyAsJsonObject().getString("detail")).contains(r.wireName());
      }
    }
  }

  @Test
  void revokedTokenStopsWorkingAndStoredDigestIsNotTheToken() throws Exception {
    HttpResponse<Buffer> created = http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN, "{\"role\":\"operator\",\"name\":\"short-lived\"}");
    long id = created.bodyAsJsonObject().getLong("id");
    String token = created.bodyAsJsonObject().getString("token");
    assertThat(http.get("/api/v1/me", token).statusCode()).isEqualTo(200);

    Row stored = Http.await(server.pool().preparedQuery("SELECT token_sha256 FROM api_token WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(id))).iterator().next();
    assertThat(stored.getBuffer("token_sha256").getBytes()).isEqualTo(Tokens.sha256(token)).hasSize(32);

    assertThat(http.delete("/api/v1/tokens/" + id, TestInfra.ADMIN_TOKEN).statusCode()).isEqualTo(204);
    assertThat(http.get("/api/v1/me", token).statusCode()).isEqualTo(401);
    assertThat(http.delete("/api/v1/tokens/" + id, TestInfra.ADMIN_TOKEN).statusCode()).isEqualTo(404);
    assertThat(http.delete("/api/v1/tokens/abc", TestInfra.ADMIN_TOKEN).statusCode()).isEqualTo(404);
  }

  @Test
  void badTokenRequestsAre4xxAndCreateNothing() throws Exception {
    long before = countTokens();
    assertThat(http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN, "{\"role\":\"emperor\",\"name\":\"x\"}").statusCode()).isEqualTo(422);
    assertThat(http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN, "{\"role\":\"viewer\"}").statusCode()).isEqualTo(422);
    assertThat(http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN, "[1,2]").statusCode()).isEqualTo(400);
    assertThat(http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN, "{nope").statusCode()).isEqualTo(400);
    assertThat(countTokens()).isEqualTo(before);
  }

  @Test
  void stateChangingCallsAreAuditedWithWhoWhatTargetWhenOutcome() throws Exception {
    String marker = "audited-" + System.nanoTime();
    http.postJson("/api/v1/tokens", TestInfra.ADMIN_TOKEN, "{\"role\":\"viewer\",\"name\":\"" + marker + "\"}");
    http.postJson("/api/v1/tokens", TOKENS.get(Role.OPERATOR), "{\"role\":\"admin\",\"name\":\"escalation\"}");
    http.postJson("/api/v1/tokens", null, "{\"role\":\"admin\",\"name\":\"anonymous\"}");
    http.get("/api/v1/me", TOKENS.get(Role.VIEWER));

    // Audit rows are written once the response has gone out: allow them a moment.
    JsonArray items = null;
    for (int i = 0; i < 50; i++) {
      items = http.get("/api/v1/audit?limit=1000", TestInfra.ADMIN_TOKEN).bodyAsJsonObject().getJsonArray("items");
      if (items.stream().map(o -> (JsonObject) o).anyMatch(o -> o.getInteger("outcome") == 401)) {
        break;
      }
      Thread.sleep(100);
    }
    List<JsonObject> rows = items.stream().map(o -> (JsonObject) o).toList();
    assertThat(rows).anySatisfy(o -> {
      assertThat(o.getString("action")).isEqualTo("POST /api/v1/tokens");
      assertThat(o.getJsonObject("actor").getString("role")).isEqualTo("admin");
      assertThat(o.getInteger("outcome")).isEqualTo(201);
      assertThat(o.getString("target")).isEqualTo("/api/v1/tokens");
      assertThat(o.getString("at")).isNotBlank();
      assertThat(o.getString("request_id")).isNotBlank();
    });
    assertThat(rows).anySatisfy(o -> {
      assertThat(o.getJsonObject("actor").getString("role")).isEqualTo("operator");
      assertThat(o.getInteger("outcome")).isEqualTo(403);
    });
    assertThat(rows).anySatisfy(o -> {
      assertThat(o.getJsonObject("actor").getString("name")).isNull();
      assertThat(o.getInteger("outcome")).isEqualTo(401);
    });
    assertThat(rows).noneSatisfy(o -> assertThat(o.getString("action")).startsWith("GET"));

    // Cursor pagination walks the whole trail without repeats.
    JsonObject page = http.get("/api/v1/audit?limit=2", TestInfra.ADMIN_TOKEN).bodyAsJsonObject();
    assertThat(page.getJsonArray("items")).hasSize(2);
    String cursor = page.getString("next_cursor");
    JsonObject page2 = http.get("/api/v1/audit?limit=2&cursor=" + cursor, TestInfra.ADMIN_TOKEN).bodyAsJsonObject();
    assertThat(page2.getJsonArray("items").getJsonObject(0).getLong("id")).isLessThan(Long.parseLong(cursor));
    assertThat(http.get("/api/v1/audit?cursor=x", TestInfra.ADMIN_TOKEN).statusCode()).isEqualTo(400);
  }

  private static long countTokens() {
    return Http.await(server.pool().query("SELECT count(*) FROM api_token").execute()).iterator().next().getLong(0);
  }
}
