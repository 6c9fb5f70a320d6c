package org.qingfeng.contacts;

import org.qingfeng.sms.PhoneMask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.Arrays;
import java.util.List;

/** One contact as stored: a plain class (public fields, epoch-millis times) so it also travels as JSON. */
public final class Contact {
  public long id;
  /** E.164, e.g. +8613812345678. */
  public String phone;
  public String name;
  public String unit;
  public String township;
  public List<String> tags;
  public long createdAt;
  public long updatedAt;

  /** The columns {@link #fromRow} reads, for SELECT lists. */
  public static final String COLUMNS = "id, phone, name, unit, township, tags, created_at, updated_at";

  public static Contact fromRow(Row r) {
    Contact c = new Contact();
    c.id = r.getLong("id");
    c.phone = r.getString("phone");
    c.name = r.getString("name");
    c.unit = r.getString("unit");
    c.township = r.getString("township");
    String[] tags = r.getArrayOfStrings("tags");
    c.tags = tags == null ? List.of() : Arrays.asList(tags);
    c.createdAt = r.getOffsetDateTime("created_at").toInstant().toEpochMilli();
    c.updatedAt = r.getOffsetDateTime("updated_at").toInstant().toEpochMilli();
    return c;
  }

  /** API form; the phone is masked when {@code maskPhone} (viewer role). */
  public JsonObject toJson(boolean maskPhone) {
    return new JsonObject()
        .put("id", id)
        .put("phone", maskPhone ? PhoneMask.mask(phone) : phone)
        .put("name", name)
        .put("unit", unit)
        .put("township", township)
        .put("tags", new JsonArray(tags))
        .put("created_at", java.time.Instant.ofEpochMilli(createdAt).toString())
        .put("updated_at", java.time.Instant.ofEpochMilli(updatedAt).toString());
  }
}
