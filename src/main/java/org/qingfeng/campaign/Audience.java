package org.qingfeng.campaign;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.qingfeng.http.Problem;

/**
 * Who a campaign goes to: contacts with any of {@code tagsAny}, all of {@code tagsAll}, in one
 * of {@code units}, in one of {@code townships} (the given filters combine with AND), plus the
 * explicitly listed contact ids. A null list means "no such filter".
 */
public final class Audience {
  static final int MAX_ITEMS = 10_000;

  public final String[] tagsAny;
  public final String[] tagsAll;
  public final String[] units;
  public final String[] townships;
  public final Long[] contactIds;

  Audience(String[] tagsAny, String[] tagsAll, String[] units, String[] townships, Long[] contactIds) {
    this.tagsAny = tagsAny;
    this.tagsAll = tagsAll;
    this.units = units;
    this.townships = townships;
    this.contactIds = contactIds;
  }

  /** True when at least one filter (not counting explicit ids) is given. */
  public boolean hasFilter() {
    return tagsAny != null || tagsAll != null || units != null || townships != null;
  }

  /** Parses the API shape; throws a 422 problem for a bad or empty selection. */
  public static Audience parse(Object value) {
    if (!(value instanceof JsonObject)) {
      throw Problem.unprocessable("'audience' is required: an object with tags_any, tags_all, units, townships or contact_ids");
    }
    JsonObject o = (JsonObject) value;
    for (String key : o.fieldNames()) {
      if (!List.of("tags_any", "tags_all", "units", "townships", "contact_ids").contains(key)) {
        throw Problem.unprocessable("'audience." + key + "' is not a known audience field");
      }
    }
    Audience a = new Audience(strings(o, "tags_any"), strings(o, "tags_all"), strings(o, "units"),
        strings(o, "townships"), ids(o));
    if (!a.hasFilter() && a.contactIds == null) {
      throw Problem.unprocessable("'audience' selects nobody: give tags_any, tags_all, units, townships or contact_ids");
    }
    return a;
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    put(o, "tags_any", tagsAny);
    put(o, "tags_all", tagsAll);
    put(o, "units", units);
    put(o, "townships", townships);
    put(o, "contact_ids", contactIds);
    return o;
  }

  /** Reads the stored shape (as written by {@link #toJson}). */
  public static Audience fromJson(JsonObject o) {
    return new Audience(strings(o, "tags_any"), strings(o, "tags_all"), strings(o, "units"),
        strings(o, "townships"), ids(o));
  }

  private static void put(JsonObject o, String key, Object[] values) {
    if (values != null) {
      o.put(key, new JsonArray(List.of(values)));
    }
  }

  private static String[] strings(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray)) {
      throw Problem.unprocessable("'audience." + key + "' must be an array of strings");
    }
    JsonArray arr = (JsonArray) v;
    if (arr.size() > MAX_ITEMS) {
      throw Problem.unprocessable("'audience." + key + "' has more than " + MAX_ITEMS + " entries");
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object item : arr) {
      if (!(item instanceof String) || ((String) item).isBlank() || ((String) item).length() > 200) {
        throw Problem.unprocessable("'audience." + key + "' must hold non-empty strings of at most 200 characters");
      }
      out.add(((String) item).trim());
    }
    return out.isEmpty() ? null : out.toArray(new String[0]);
  }

  private static Long[] ids(JsonObject o) {
    Object v = o.getValue("contact_ids");
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray)) {
      throw Problem.unprocessable("'audience.contact_ids' must be an array of contact ids");
    }
    JsonArray arr = (JsonArray) v;
    if (arr.size() > MAX_ITEMS) {
      throw Problem.unprocessable("'audience.contact_ids' has more than " + MAX_ITEMS + " entries");
    }
    List<Long> out = new ArrayList<>();
    for (Object item : arr) {
      if (!(item instanceof Number) || ((Number) item).longValue() <= 0
          || ((Number) item).doubleValue() != ((Number) item).longValue()) {
        throw Problem.unprocessable("'audience.contact_ids' must hold positive whole numbers");
      }
      out.add(((Number) item).longValue());
    }
    return out.isEmpty() ? null : new LinkedHashSet<>(out).toArray(new Long[0]);
  }
}
