package org.qingfeng.led;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.qingfeng.http.Problem;

/**
 * A content item as posted (POST creates, PATCH changes the given fields). Every field is
 * checked before anything is stored; a bad one is a 422 naming it.
 */
public final class ItemInput {
  static final Set<String> CATEGORIES = Set.of("rule", "aphorism", "greeting", "notice");
  static final Set<String> EFFECTS = Set.of("static", "scroll-left", "scroll-up", "flash");
  private static final Set<String> FIELDS = Set.of("text", "category", "effect", "speed", "dwell_s", "colour",
      "font_size", "valid_from", "valid_until", "dayparts", "weekdays", "priority", "target_groups", "target_screens");

  public String text;
  public String contentHash;
  public String category;
  public String effect;
  public Integer speed;
  public Integer dwellS;
  public String colour;
  public Integer fontSize;
  public Instant validFrom;
  public Instant validUntil;
  public boolean validFromGiven;
  public boolean validUntilGiven;
  public List<String> dayparts;
  public List<Integer> weekdays;
  public Integer priority;
  public List<Long> targetGroups;
  public List<Long> targetScreens;

  /** For POST: fills defaults and requires text and category. */
  public static ItemInput forCreate(JsonObject body, int textMax) {
    ItemInput in = parse(body, textMax);
    if (in.text == null) {
      throw Problem.unprocessable("'text' is required");
    }
    if (in.category == null) {
      throw Problem.unprocessable("'category' is required (one of " + String.join(", ", sorted(CATEGORIES)) + ")");
    }
    in.effect = in.effect == null ? "static" : in.effect;
    in.speed = in.speed == null ? 5 : in.speed;
    in.dwellS = in.dwellS == null ? 10 : in.dwellS;
    in.colour = in.colour == null ? "#ff0000" : in.colour;
    in.fontSize = in.fontSize == null ? 16 : in.fontSize;
    in.dayparts = in.dayparts == null ? List.of() : in.dayparts;
    in.weekdays = in.weekdays == null ? List.of() : in.weekdays;
    in.priority = in.priority == null ? 0 : in.priority;
    in.targetGroups = in.targetGroups == null ? List.of() : in.targetGroups;
    in.targetScreens = in.targetScreens == null ? List.of() : in.targetScreens;
    if (in.validFrom != null && in.validUntil != null && !in.validUntil.isAfter(in.validFrom)) {
      throw Problem.unprocessable("'valid_until' must be after 'valid_from'");
    }
    return in;
  }

  /** For PATCH: only the fields present are set. */
  public static ItemInput parse(JsonObject b, int textMax) {
    for (String k : b.fieldNames()) {
      if (!FIELDS.contains(k)) {
        throw Problem.unprocessable("unknown field '" + k + "'");
      }
    }
    ItemInput in = new ItemInput();
    if (b.containsKey("text")) {
      in.text = LedText.clean(str(b, "text"), textMax, "text");
      in.contentHash = LedText.hash(in.text);
    }
    in.category = oneOf(b, "category", CATEGORIES);
    in.effect = oneOf(b, "effect", EFFECTS);
    in.speed = integer(b, "speed", 1, 10);
    in.dwellS = integer(b, "dwell_s", 1, 3600);
    in.fontSize = integer(b, "font_size", 8, 512);
    in.priority = integer(b, "priority", -100, 100);
    if (b.containsKey("colour")) {
      String c = str(b, "colour").toLowerCase(Locale.ROOT);
      if (!c.matches("#[0-9a-f]{6}")) {
        throw Problem.unprocessable("'colour' must be #rrggbb");
      }
      in.colour = c;
    }
    in.validFromGiven = b.containsKey("valid_from");
    in.validUntilGiven = b.containsKey("valid_until");
    in.validFrom = instant(b, "valid_from");
    in.validUntil = instant(b, "valid_until");
    if (b.containsKey("dayparts")) {
      in.dayparts = new ArrayList<>();
      for (Object o : array(b, "dayparts")) {
        in.dayparts.add(Daypart.parse(o instanceof String ? (String) o : String.valueOf(o)).toString());
      }
    }
    if (b.containsKey("weekdays")) {
      Set<Integer> days = new LinkedHashSet<>();
      for (Object o : array(b, "weekdays")) {
        if (!(o instanceof Integer) || (Integer) o < 1 || (Integer) o > 7) {
          throw Problem.unprocessable("'weekdays' holds " + o + "; use 1 (Monday) to 7 (Sunday)");
        }
        days.add((Integer) o);
      }
      in.weekdays = new ArrayList<>(days);
    }
    in.targetGroups = ids(b, "target_groups");
    in.targetScreens = ids(b, "target_screens");
    return in;
  }

  static String str(JsonObject b, String k) {
    Object v = b.getValue(k);
    if (!(v instanceof String)) {
      throw Problem.unprocessable("'" + k + "' must be a string");
    }
    return (String) v;
  }

  static String oneOf(JsonObject b, String k, Set<String> allowed) {
    if (!b.containsKey(k)) {
      return null;
    }
    String v = str(b, k);
    if (!allowed.contains(v)) {
      throw Problem.unprocessable("'" + k + "' must be one of " + String.join(", ", sorted(allowed)));
    }
    return v;
  }

  static Integer integer(JsonObject b, String k, int min, int max) {
    if (!b.containsKey(k)) {
      return null;
    }
    Object v = b.getValue(k);
    if (!(v instanceof Integer) || (Integer) v < min || (Integer) v > max) {
      throw Problem.unprocessable("'" + k + "' must be a whole number from " + min + " to " + max);
    }
    return (Integer) v;
  }

  static Instant instant(JsonObject b, String k) {
    if (b.getValue(k) == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(str(b, k)).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.unprocessable("'" + k + "' must be an ISO-8601 time with offset, e.g. 2025-01-28T08:00:00+08:00");
    }
  }

  static JsonArray array(JsonObject b, String k) {
    Object v = b.getValue(k);
    if (!(v instanceof JsonArray)) {
      throw Problem.unprocessable("'" + k + "' must be an array");
    }
    if (((JsonArray) v).size() > 1000) {
      throw Problem.unprocessable("'" + k + "' has more than 1000 entries");
    }
    return (JsonArray) v;
  }

  static List<Long> ids(JsonObject b, String k) {
    if (!b.containsKey(k)) {
      return null;
    }
    Set<Long> out = new LinkedHashSet<>();
    for (Object o : array(b, k)) {
      if (!(o instanceof Integer || o instanceof Long) || ((Number) o).longValue() < 1) {
        throw Problem.unprocessable("'" + k + "' must hold positive ids");
      }
      out.add(((Number) o).longValue());
    }
    return new ArrayList<>(out);
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }
}
