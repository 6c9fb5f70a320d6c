package org.qingfeng.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContactListTest {
  static final int N = 250;
  static QingfengServer server;
  static ContactApi api;
  static String operator;
  static String viewer;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer();
    api = new ContactApi(server.httpPort());
    operator = api.createToken("operator");
    viewer = api.createToken("viewer");
    StringBuilder csv = new StringBuilder("name,phone,unit,township,tags\n");
    for (int i = 0; i < N; i++) {
      csv.append(String.format("干部%d,1380002%04d,%s,%s,%s\n", i, i, i % 2 == 0 ? "县纪委" : "县委办",
          "镇" + (i % 5), i % 3 == 0 ? "党员;干部" : "党员"));
    }
    HttpResponse<Buffer> res = api.importCsv(operator, null, csv.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(res.statusCode()).isEqualTo(200);
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

  static List<JsonObject> all(String query, String token, int limit) {
    List<JsonObject> out = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String q = "/api/v1/contacts?limit=" + limit + (query.isEmpty() ? "" : "&" + query) + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<Buffer> res = api.get(q, token);
      assertThat(res.statusCode()).as(res.bodyAsString()).isEqualTo(200);
      JsonObject page = res.bodyAsJsonObject();
      JsonArray items = page.getJsonArray("items");
      assertThat(items.size()).isLessThanOrEqualTo(limit);
      items.forEach(o -> out.add((JsonObject) o));
      cursor = page.getString("next_cursor");
      assertThat(++pages).isLessThan(1000);
    } while (cursor != null);
    return out;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void cursorPaginationVisitsEveryContactOnceInIdOrder() {
    List<JsonObject> items = all("", operator, 37);
    assertThat(items).hasSize(N);
    Set<Long> ids = new HashSet<>();
    long last = 0;
    for (JsonObject c : items) {
      assertThat(ids.add(c.getLong("id"))).isTrue();
      assertThat(c.getLong("id")).isGreaterThan(last);
      last = c.getLong("id");
      assertThat(c.getString("phone")).startsWith("+86138").hasSize(14);
    }
  }

  @Test
  void filtersByTagUnitAndTownship() {
    assertThat(all("tag=" + enc("干部"), operator, 100)).hasSize(84);
    assertThat(all("unit=" + enc("县纪委"), operator, 100)).hasSize(125);
    assertThat(all("township=" + enc("镇2"), operator, 100)).hasSize(50);
    List<JsonObject> combined = all("tag=" + enc("干部") + "&tag=" + enc("党员") + "&unit=" + enc("县纪委") + "&township=" + enc("镇0"), operator, 10);
    // i % 3 == 0, i even, i % 5 == 0  ->  i % 30 == 0
    assertThat(combined).hasSize(9);
    assertThat(combined).allSatisfy(c -> {
      assertThat(c.getString("unit")).isEqualTo("县纪委");
      assertThat(c.getJsonArray("tags").getList()).contains("干部", "党员");
    });
    assertThat(all("tag=nobody", operator, 10)).isEmpty();
  }

  @Test
  void viewersSeeMaskedNumbersOthersSeeThemWhole() {
    List<JsonObject> masked = all("township=" + enc("镇1"), viewer, 100);
    assertThat(masked).isNotEmpty().allSatisfy(c -> assertThat(c.getString("phone")).matches("\\+86138\\*{4}\\d{4}"));
    long id = masked.get(0).getLong("id");
    assertThat(api.get("/api/v1/contacts/" + id, viewer).bodyAsJsonObject().getString("phone")).contains("****");
    assertThat(api.get("/api/v1/contacts/" + id, operator).bodyAsJsonObject().getString("phone")).matches("\\+86138\\d{8}");
  }

  @Test
  void getAndDeleteOneContact() {
    JsonObject first = all("township=" + enc("镇4"), operator, 100).get(0);
    long id = first.getLong("id");
    JsonObject got = api.get("/api/v1/contacts/" + id, operator).bodyAsJsonObject();
    assertThat(got.getString("name")).isEqualTo(first.getString("name"));
    assertThat(api.send(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/contacts/" + id, viewer, null).statusCode()).isEqualTo(403);
    assertThat(api.send(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/contacts/" + id, operator, null).statusCode()).isEqualTo(204);
    assertThat(api.get("/api/v1/contacts/" + id, operator).statusCode()).isEqualTo(404);
    assertThat(api.send(io.vertx.core.http.HttpMethod.DELETE, "/api/v1/contacts/" + id, operator, null).statusCode()).isEqualTo(404);
    assertThat(api.get("/api/v1/contacts/abc", operator).statusCode()).isEqualTo(404);
    assertThat(api.get("/api/v1/contacts?limit=0", operator).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/v1/contacts?cursor=x", operator).statusCode()).isEqualTo(400);
  }
}
