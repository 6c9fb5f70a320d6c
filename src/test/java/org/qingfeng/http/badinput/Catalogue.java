package org.qingfeng.http.badinput;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * For every operation of the OpenAPI document: who may call it, who may not, a concrete path
 * (fixture ids filled in) and a valid body that the probes spoil one way at a time. A new
 * operation without an entry here fails {@link BadInputCatalogueTest}.
 */
final class Catalogue {
  static final String ADMIN = "admin";
  static final String OPERATOR = "operator";
  static final String APPROVER = "approver";
  static final String VIEWER = "viewer";
  static final String DEVICE = "device";
  static final String NOBODY = null;

  /**
   * @param role credential the probes use (null: no credentials)
   * @param wrongRole a valid credential that must get 403 (null: every role may call it)
   * @param path the path with fixture ids
   * @param body a valid body (JSON, CSV or text as the operation takes), or null
   */
  record Entry(String role, String wrongRole, String path, String body) {
  }

  /** Ids of the objects the test creates before probing. */
  static final class Fixtures {
    long campaign;
    long template;
    long contact;
    String optOut;
    long group;
    long screen;
    long item;
    String itemHash;
    long library;
    long alert;
    long token;
  }

  private Catalogue() {
  }

  static Map<String, Entry> entries(Fixtures f) {
    Map<String, Entry> e = new LinkedHashMap<>();
    JsonObject campaign = new JsonObject().put("name", "probe").put("text", "清风送节，廉洁过节。").put("signature", "【余庆县纪委】")
        .put("audience", new JsonObject().put("tags_any", new JsonArray().add("member"))).put("send_at", "2030-02-16T09:00:00+08:00");
    JsonObject template = new JsonObject().put("name", "probe").put("body", "清风送节，廉洁过节。").put("signature", "【余庆县纪委】");
    JsonObject item = new JsonObject().put("text", "为政清廉").put("category", "aphorism").put("target_groups", new JsonArray().add(f.group));
    JsonObject play = new JsonObject().put("client_play_id", "probe-1").put("item_id", f.item).put("content_hash", f.itemHash)
        .put("started_at", Instant.now().minusSeconds(60).toString()).put("duration_ms", 15_000);

    e.put("POST /api/v1/tokens", new Entry(ADMIN, OPERATOR, "/api/v1/tokens", json("role", "viewer", "name", "probe")));
    e.put("GET /api/v1/tokens", new Entry(ADMIN, OPERATOR, "/api/v1/tokens", null));
    e.put("DELETE /api/v1/tokens/{id}", new Entry(ADMIN, OPERATOR, "/api/v1/tokens/" + f.token, null));
    e.put("GET /api/v1/me", new Entry(VIEWER, null, "/api/v1/me", null));
    e.put("GET /api/v1/audit", new Entry(ADMIN, OPERATOR, "/api/v1/audit", null));
    e.put("POST /api/v1/sms/preview", new Entry(VIEWER, null, "/api/v1/sms/preview", json("text", "清风", "signature", "【余庆县纪委】")));
    e.put("GET /api/v1/sms/channels", new Entry(VIEWER, null, "/api/v1/sms/channels", null));
    e.put("POST /api/v1/sms/test-send", new Entry(OPERATOR, VIEWER, "/api/v1/sms/test-send",
        new JsonObject().put("to", new JsonArray().add("+8613800138000")).put("text", "清风").encode()));
    e.put("GET /health/live", new Entry(NOBODY, null, "/health/live", null));
    e.put("GET /health/ready", new Entry(NOBODY, null, "/health/ready", null));
    e.put("GET /metrics", new Entry(NOBODY, null, "/metrics", null));
    e.put("GET /openapi.yaml", new Entry(NOBODY, null, "/openapi.yaml", null));
    e.put("POST /api/v1/campaigns", new Entry(OPERATOR, VIEWER, "/api/v1/campaigns", campaign.encode()));
    e.put("GET /api/v1/campaigns", new Entry(VIEWER, null, "/api/v1/campaigns", null));
    String c = "/api/v1/campaigns/" + f.campaign;
    e.put("GET /api/v1/campaigns/{id}", new Entry(VIEWER, null, c, null));
    e.put("PUT /api/v1/campaigns/{id}", new Entry(OPERATOR, VIEWER, c, campaign.encode()));
    e.put("POST /api/v1/campaigns/{id}/submit", new Entry(OPERATOR, VIEWER, c + "/submit", null));
    e.put("POST /api/v1/campaigns/{id}/approve", new Entry(APPROVER, OPERATOR, c + "/approve", null));
    e.put("POST /api/v1/campaigns/{id}/reject", new Entry(APPROVER, OPERATOR, c + "/reject", json("reason", "not now")));
    e.put("POST /api/v1/campaigns/{id}/pause", new Entry(OPERATOR, VIEWER, c + "/pause", null));
    e.put("POST /api/v1/campaigns/{id}/resume", new Entry(OPERATOR, VIEWER, c + "/resume", null));
    e.put("POST /api/v1/campaigns/{id}/cancel", new Entry(OPERATOR, VIEWER, c + "/cancel", null));
    e.put("POST /api/v1/campaigns/{id}/test-send", new Entry(OPERATOR, VIEWER, c + "/test-send",
        new JsonObject().put("phones", new JsonArray().add("+8613900000001")).encode()));
    e.put("GET /api/v1/messages", new Entry(VIEWER, null, "/api/v1/messages?campaign=" + f.campaign, null));
    e.put("POST /api/v1/contacts/import", new Entry(OPERATOR, VIEWER, "/api/v1/contacts/import",
        "name,phone,tags\n张三,13800000077,member\n"));
    e.put("GET /api/v1/contacts", new Entry(VIEWER, null, "/api/v1/contacts", null));
    e.put("GET /api/v1/contacts/{id}", new Entry(VIEWER, null, "/api/v1/contacts/" + f.contact, null));
    e.put("DELETE /api/v1/contacts/{id}", new Entry(OPERATOR, VIEWER, "/api/v1/contacts/" + f.contact, null));
    e.put("GET /api/v1/opt-outs", new Entry(VIEWER, null, "/api/v1/opt-outs", null));
    e.put("POST /api/v1/opt-outs", new Entry(OPERATOR, VIEWER, "/api/v1/opt-outs", json("phone", "+8613800000099", "reason", "asked")));
    e.put("DELETE /api/v1/opt-outs/{phone}", new Entry(OPERATOR, VIEWER, "/api/v1/opt-outs/" + f.optOut, null));
    e.put("POST /api/v1/templates", new Entry(OPERATOR, VIEWER, "/api/v1/templates", template.encode()));
    e.put("GET /api/v1/templates", new Entry(VIEWER, null, "/api/v1/templates", null));
    String t = "/api/v1/templates/" + f.template;
    e.put("GET /api/v1/templates/{id}", new Entry(VIEWER, null, t, null));
    e.put("PUT /api/v1/templates/{id}", new Entry(OPERATOR, VIEWER, t, template.encode()));
    e.put("DELETE /api/v1/templates/{id}", new Entry(OPERATOR, VIEWER, t, null));
    e.put("POST /api/v1/templates/{id}/preview", new Entry(VIEWER, null, t + "/preview",
        new JsonObject().put("contact_id", f.contact).put("festival", "春节").encode()));
    e.put("GET /api/v1/campaigns/{id}/stats", new Entry(VIEWER, null, c + "/stats", null));
    e.put("GET /api/v1/campaigns/{id}/messages.csv", new Entry(VIEWER, null, c + "/messages.csv", null));
    e.put("GET /api/v1/stats/channels", new Entry(VIEWER, null, "/api/v1/stats/channels", null));
    e.put("POST /led/v1/enroll", new Entry(NOBODY, null, "/led/v1/enroll", new JsonObject().put("hardware_key", "hw-probe-1")
        .put("name", "probe").put("width", 192).put("height", 64).put("colour_mode", "dual").encode()));
    e.put("GET /led/v1/playlist", new Entry(DEVICE, null, "/led/v1/playlist", null));
    e.put("POST /led/v1/plays", new Entry(DEVICE, null, "/led/v1/plays", new JsonObject().put("plays", new JsonArray().add(play)).encode()));
    e.put("GET /api/v1/led/groups", new Entry(VIEWER, null, "/api/v1/led/groups", null));
    e.put("POST /api/v1/led/groups", new Entry(OPERATOR, VIEWER, "/api/v1/led/groups", json("name", "probe", "kind", "unit")));
    e.put("GET /api/v1/led/screens", new Entry(VIEWER, null, "/api/v1/led/screens", null));
    String s = "/api/v1/led/screens/" + f.screen;
    e.put("PATCH /api/v1/led/screens/{id}", new Entry(OPERATOR, VIEWER, s, json("name", "probe")));
    e.put("POST /api/v1/led/screens/{id}/approve", new Entry(ADMIN, OPERATOR, s + "/approve", null));
    e.put("POST /api/v1/led/screens/{id}/rotate-secret", new Entry(ADMIN, OPERATOR, s + "/rotate-secret", null));
    e.put("POST /api/v1/led/screens/{id}/revoke", new Entry(ADMIN, OPERATOR, s + "/revoke", null));
    e.put("GET /api/v1/ops/stream", new Entry(VIEWER, null, "/api/v1/ops/stream", null));
    e.put("GET /api/v1/led/health", new Entry(VIEWER, null, "/api/v1/led/health", null));
    e.put("GET /api/v1/led/items", new Entry(VIEWER, null, "/api/v1/led/items", null));
    e.put("POST /api/v1/led/items", new Entry(OPERATOR, VIEWER, "/api/v1/led/items", item.encode()));
    String i = "/api/v1/led/items/" + f.item;
    e.put("GET /api/v1/led/items/{id}", new Entry(VIEWER, null, i, null));
    e.put("PATCH /api/v1/led/items/{id}", new Entry(OPERATOR, VIEWER, i, item.encode()));
    e.put("DELETE /api/v1/led/items/{id}", new Entry(OPERATOR, VIEWER, i, null));
    e.put("POST /api/v1/led/items/import", new Entry(OPERATOR, VIEWER, "/api/v1/led/items/import?library=probe",
        "第1条 党员必须严守党的纪律\n"));
    e.put("GET /api/v1/led/libraries", new Entry(VIEWER, null, "/api/v1/led/libraries", null));
    String l = "/api/v1/led/libraries/" + f.library + "/assignments";
    e.put("POST /api/v1/led/libraries/{id}/assignments", new Entry(OPERATOR, VIEWER, l, new JsonObject().put("group_id", f.group).encode()));
    e.put("DELETE /api/v1/led/libraries/{id}/assignments/{group}", new Entry(OPERATOR, VIEWER, l + "/" + f.group, null));
    e.put("GET /api/v1/led/alerts", new Entry(VIEWER, null, "/api/v1/led/alerts", null));
    e.put("POST /api/v1/led/alerts", new Entry(OPERATOR, VIEWER, "/api/v1/led/alerts",
        new JsonObject().put("text", "紧急通知").put("target_groups", new JsonArray().add(f.group)).put("ttl_s", 3600).encode()));
    e.put("DELETE /api/v1/led/alerts/{id}", new Entry(OPERATOR, VIEWER, "/api/v1/led/alerts/" + f.alert, null));
    e.put("GET /api/v1/led/reports/plays", new Entry(VIEWER, null, "/api/v1/led/reports/plays", null));
    e.put("GET /api/v1/led/reports/alerts/{id}", new Entry(VIEWER, null, "/api/v1/led/reports/alerts/" + f.alert, null));
    return e;
  }

  private static String json(String... kv) {
    JsonObject o = new JsonObject();
    for (int k = 0; k < kv.length; k += 2) {
      o.put(kv[k], kv[k + 1]);
    }
    return o.encode();
  }
}
