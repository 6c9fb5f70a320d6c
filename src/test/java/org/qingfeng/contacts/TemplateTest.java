package org.qingfeng.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.contacts.template.TemplateRenderer;
import org.qingfeng.contacts.template.TemplateSyntaxException;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TemplateTest {
  static QingfengServer server;
  static ContactApi api;
  static String operator;
  static String viewer;
  static long zhangId;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of("QINGFENG_SMS_MAX_PARTS", "3"));
    api = new ContactApi(server.httpPort());
    operator = api.createToken("operator");
    viewer = api.createToken("viewer");
    HttpResponse<Buffer> imported = api.importCsv(operator, null,
        "name,phone,unit,township\n张三,13800060001,县纪委,白泥镇\nJohn,13800060002,Office,Town\n".getBytes(StandardCharsets.UTF_8));
    assertThat(imported.statusCode()).isEqualTo(200);
    zhangId = api.get("/api/v1/contacts?unit=%E5%8E%BF%E7%BA%AA%E5%A7%94", operator).bodyAsJsonObject()
        .getJsonArray("items").getJsonObject(0).getLong("id");
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

  static HttpResponse<Buffer> create(String token, String name, String body, String signature) {
    return api.send(HttpMethod.POST, "/api/v1/templates", token,
        new JsonObject().put("name", name).put("body", body).put("signature", signature));
  }

  static HttpResponse<Buffer> preview(long id, JsonObject body) {
    return api.send(HttpMethod.POST, "/api/v1/templates/" + id + "/preview", viewer, body);
  }

  @Test
  void createPreviewUpdateAndDelete() {
    HttpResponse<Buffer> created = create(operator, "春节廉洁提醒",
        "{name}同志：{festival}将至，请{unit}全体干部廉洁过节。{{白泥}}", "【余庆县纪委】");
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject t = created.bodyAsJsonObject();
    long id = t.getLong("id");
    assertThat(t.getJsonArray("placeholders").getList()).containsExactly("name", "festival", "unit");
    assertThat(created.getHeader("Location")).isEqualTo("/api/v1/templates/" + id);

    JsonObject p = preview(id, new JsonObject().put("contact_id", zhangId).put("festival", "春节")).bodyAsJsonObject();
    String expected = "【余庆县纪委】张三同志：春节将至，请县纪委全体干部廉洁过节。{白泥}";
    assertThat(p.getString("text")).isEqualTo(expected);
    assertThat(p.getString("encoding")).isEqualTo("UCS2");
    assertThat(p.getInteger("characters")).isEqualTo(expected.length());
    assertThat(p.getInteger("parts")).isEqualTo(1);
    assertThat(p.getInteger("max_parts")).isEqualTo(3);

    assertThat(preview(id, new JsonObject().put("contact_id", zhangId)).statusCode()).as("festival missing").isEqualTo(422);
    assertThat(preview(id, new JsonObject().put("festival", "春节")).statusCode()).as("contact missing").isEqualTo(422);
    assertThat(preview(id, new JsonObject().put("contact_id", 999999).put("festival", "春节")).statusCode()).isEqualTo(422);

    assertThat(api.get("/api/v1/templates/" + id, viewer).bodyAsJsonObject().getString("name")).isEqualTo("春节廉洁提醒");
    HttpResponse<Buffer> put = api.send(HttpMethod.PUT, "/api/v1/templates/" + id, operator,
        new JsonObject().put("name", "春节廉洁提醒").put("body", "{name}: happy {festival}!").put("signature", "[YQ]"));
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    JsonObject gsm = preview(id, new JsonObject().put("contact_id", zhangId + 1).put("festival", "New Year")).bodyAsJsonObject();
    assertThat(gsm.getString("text")).isEqualTo("[YQ]John: happy New Year!");
    assertThat(gsm.getString("encoding")).isEqualTo("GSM7");
    assertThat(gsm.getInteger("parts")).isEqualTo(1);

    assertThat(api.send(HttpMethod.DELETE, "/api/v1/templates/" + id, viewer, null).statusCode()).isEqualTo(403);
    assertThat(api.send(HttpMethod.DELETE, "/api/v1/templates/" + id, operator, null).statusCode()).isEqualTo(204);
    assertThat(api.get("/api/v1/templates/" + id, operator).statusCode()).isEqualTo(404);
    assertThat(preview(id, new JsonObject()).statusCode()).isEqualTo(404);
  }

  @Test
  void unknownPlaceholdersBadBracesAndDuplicatesAreRefused() {
    HttpResponse<Buffer> unknown = create(operator, "bad", "{name}，{holiday}快乐{Name}", "【余庆县纪委】");
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(unknown.bodyAsJsonObject().getString("detail")).contains("{holiday}").contains("{Name}");
    assertThat(create(operator, "bad2", "{name", "【余庆县纪委】").statusCode()).isEqualTo(422);
    assertThat(create(operator, "bad3", "name}", "【余庆县纪委】").statusCode()).isEqualTo(422);
    assertThat(create(operator, "nosig", "hello", null).statusCode()).isEqualTo(422);
    assertThat(create(viewer, "viewer", "hello", "【余庆县纪委】").statusCode()).isEqualTo(403);
    assertThat(create(operator, "dup", "hello", "【余庆县纪委】").statusCode()).isEqualTo(201);
    assertThat(create(operator, "dup", "hello again", "【余庆县纪委】").statusCode()).isEqualTo(409);
    assertThat(ContactApi.count(server.pool(), "SELECT count(*) FROM template WHERE name LIKE 'bad%'")).isZero();
  }

  @Test
  void previewOverMaxPartsIs422() {
    // 3 parts of UCS-2 hold 3 x 67 = 201 characters; the static text alone fits, a long name does not.
    String body = "廉".repeat(150) + "{unit}";
    HttpResponse<Buffer> created = create(operator, "long", body, "【余庆县纪委】");
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    long id = created.bodyAsJsonObject().getLong("id");
    JsonObject fits = preview(id, new JsonObject().put("contact_id", zhangId)).bodyAsJsonObject();
    assertThat(fits.getInteger("parts")).isEqualTo(3);
    assertThat(fits.getInteger("characters")).isEqualTo(7 + 150 + 3);

    String longer = "廉".repeat(200) + "{unit}";
    HttpResponse<Buffer> tooLong = create(operator, "too long", longer, "【余庆县纪委】");
    assertThat(tooLong.statusCode()).isEqualTo(422);
    assertThat(tooLong.bodyAsJsonObject().getInteger("max_parts")).isEqualTo(3);

    HttpResponse<Buffer> edge = create(operator, "edge", "廉".repeat(190) + "{name}{name}{name}", "【余庆县纪委】");
    assertThat(edge.statusCode()).isEqualTo(201);
    HttpResponse<Buffer> over = preview(edge.bodyAsJsonObject().getLong("id"), new JsonObject().put("contact_id", zhangId));
    assertThat(over.statusCode()).isEqualTo(422);
    assertThat(over.bodyAsJsonObject().getString("detail")).contains("parts");
  }

  @Test
  void rendererForTheCampaignExpander() throws Exception {
    TemplateRenderer r = TemplateRenderer.compile("{name}，{festival}快乐！{township}{{x}}", "【余庆县纪委】");
    Contact c = new Contact();
    c.name = "李四";
    c.township = "龙溪镇";
    assertThat(r.render(c, "中秋")).isEqualTo("【余庆县纪委】李四，中秋快乐！龙溪镇{x}");
    assertThat(r.needsFestival()).isTrue();
    assertThat(r.needsContact()).isTrue();
    assertThatThrownBy(() -> r.render(c, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TemplateRenderer.compile("{foo}", "x")).isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("{foo}");
  }
}
