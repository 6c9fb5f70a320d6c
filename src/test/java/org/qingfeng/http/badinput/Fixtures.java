package org.qingfeng.http.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.qingfeng.http.badinput.Wire.Answer;
import org.qingfeng.testing.TestInfra;

/** Creates, through the API, one of everything the catalogue's paths point at. */
final class Fixtures {
  private static final String ADMIN = "Bearer " + TestInfra.ADMIN_TOKEN;

  private Fixtures() {
  }

  static void create(Wire w, Catalogue.Fixtures f, Map<String, String> auth) {
    auth.put(Catalogue.ADMIN, ADMIN);
    for (String role : new String[] {Catalogue.OPERATOR, Catalogue.APPROVER, Catalogue.VIEWER}) {
      JsonObject t = ok(w, "POST", "/api/v1/tokens", ADMIN, new JsonObject().put("role", role).put("name", "catalogue " + role));
      auth.put(role, "Bearer " + t.getString("token"));
      f.token = t.getLong("id");
    }
    String op = auth.get(Catalogue.OPERATOR);
    Answer imported = w.send("POST", "/api/v1/contacts/import", op, "text/csv",
        "name,phone,tags\n党员甲,13800000011,member\n党员乙,13800000012,member\n".getBytes(StandardCharsets.UTF_8));
    assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
    f.contact = new JsonObject(w.send("GET", "/api/v1/contacts", op, null, null).body()).getJsonArray("items")
        .getJsonObject(0).getLong("id");
    f.template = ok(w, "POST", "/api/v1/templates", op, new JsonObject().put("name", "fixture").put("body", "清风送节")
        .put("signature", "【余庆县纪委】")).getLong("id");
    f.campaign = ok(w, "POST", "/api/v1/campaigns", op, new JsonObject().put("name", "fixture").put("text", "清风送节，廉洁过节。")
        .put("signature", "【余庆县纪委】").put("audience", new JsonObject().put("tags_any", new JsonArray().add("member")))
        .put("send_at", "2030-02-16T09:00:00+08:00")).getLong("id");
    ok(w, "POST", "/api/v1/opt-outs", op, new JsonObject().put("phone", "+8613800000055"));
    f.optOut = "%2B8613800000055";
    f.group = ok(w, "POST", "/api/v1/led/groups", op, new JsonObject().put("name", "fixture group").put("kind", "unit")).getLong("id");
    String[] screen = screen(w, "hw-fixture-1", f.group);
    f.screen = Long.parseLong(screen[0]);
    auth.put(Catalogue.DEVICE, "Bearer " + screen[0] + "." + screen[1]);
    JsonObject item = ok(w, "POST", "/api/v1/led/items", op, new JsonObject().put("text", "为政清廉").put("category", "aphorism")
        .put("target_groups", new JsonArray().add(f.group)));
    f.item = item.getLong("id");
    f.itemHash = item.getString("content_hash");
    Answer lib = w.send("POST", "/api/v1/led/items/import?library=fixture", op, "text/plain; charset=utf-8",
        "第1条 党员必须严守党的纪律\n".getBytes(StandardCharsets.UTF_8));
    assertThat(lib.status()).as(lib.toString()).isEqualTo(201);
    f.library = new JsonObject(lib.body()).getLong("library_id");
    ok(w, "POST", "/api/v1/led/libraries/" + f.library + "/assignments", op, new JsonObject().put("group_id", f.group));
    f.alert = ok(w, "POST", "/api/v1/led/alerts", op, new JsonObject().put("text", "紧急通知")
        .put("target_groups", new JsonArray().add(f.group)).put("ttl_s", 3600)).getLong("id");
  }

  static String revokedToken(Wire w) {
    JsonObject t = ok(w, "POST", "/api/v1/tokens", ADMIN, new JsonObject().put("role", "admin").put("name", "to revoke"));
    Answer revoked = w.send("DELETE", "/api/v1/tokens/" + t.getLong("id"), ADMIN, null, null);
    assertThat(revoked.status()).isEqualTo(204);
    return t.getString("token");
  }

  static String revokedScreen(Wire w) {
    String[] s = screen(w, "hw-fixture-revoked", null);
    assertThat(w.send("POST", "/api/v1/led/screens/" + s[0] + "/revoke", ADMIN, null, null).status()).isEqualTo(204);
    return "Bearer " + s[0] + "." + s[1];
  }

  private static String[] screen(Wire w, String key, Long group) {
    Answer enrolled = w.send("POST", "/led/v1/enroll", null, "application/json", new JsonObject().put("hardware_key", key)
        .put("name", key).put("width", 192).put("height", 64).put("colour_mode", "dual").encode().getBytes(StandardCharsets.UTF_8));
    assertThat(enrolled.status()).as(enrolled.toString()).isIn(200, 202);
    long id = new JsonObject(enrolled.body()).getLong("screen_id");
    if (group != null) {
      Answer patched = w.send("PATCH", "/api/v1/led/screens/" + id, ADMIN, "application/json",
          new JsonObject().put("groups", new JsonArray().add(group)).encode().getBytes(StandardCharsets.UTF_8));
      assertThat(patched.status()).as(patched.toString()).isBetween(200, 299);
    }
    String secret = ok(w, "POST", "/api/v1/led/screens/" + id + "/approve", ADMIN, null).getString("secret");
    return new String[] {String.valueOf(id), secret};
  }

  private static JsonObject ok(Wire w, String method, String path, String auth, JsonObject body) {
    Answer a = w.send(method, path, auth, body == null ? null : "application/json",
        body == null ? null : body.encode().getBytes(StandardCharsets.UTF_8));
    assertThat(a.status()).as("%s %s: %s", method, path, a).isBetween(200, 299);
    return a.body().isEmpty() ? new JsonObject() : new JsonObject(a.body());
  }
}
