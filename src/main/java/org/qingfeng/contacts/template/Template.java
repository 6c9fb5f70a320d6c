package org.qingfeng.contacts.template;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;

/** One stored template (plain class, epoch-millis times). */
public final class Template {
  public long id;
  public String name;
  public String body;
  public String signature;
  public Long createdBy;
  public long createdAt;
  public long updatedAt;

  static final String COLUMNS = "id, name, body, signature, created_by, created_at, updated_at";

  static Template fromRow(Row r) {
    Template t = new Template();
    t.id = r.getLong("id");
    t.name = r.getString("name");
    t.body = r.getString("body");
    t.signature = r.getString("signature");
    t.createdBy = r.getLong("created_by");
    t.createdAt = r.getOffsetDateTime("created_at").toInstant().toEpochMilli();
    t.updatedAt = r.getOffsetDateTime("updated_at").toInstant().toEpochMilli();
    return t;
  }

  /** Compiles this template's body and signature (stored templates always compile). */
  public TemplateRenderer renderer() throws TemplateSyntaxException {
    return TemplateRenderer.compile(body, signature);
  }

  JsonObject toJson() {
    JsonArray placeholders = new JsonArray();
    try {
      renderer().placeholders().forEach(placeholders::add);
    } catch (TemplateSyntaxException e) {
      // stored templates were validated on write; nothing to list otherwise
    }
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("body", body)
        .put("signature", signature)
        .put("placeholders", placeholders)
        .put("created_by", createdBy)
        .put("created_at", Instant.ofEpochMilli(createdAt).toString())
        .put("updated_at", Instant.ofEpochMilli(updatedAt).toString());
  }
}
