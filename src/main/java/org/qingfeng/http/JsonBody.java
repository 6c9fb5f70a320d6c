package org.qingfeng.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads a JSON object body, answering 415 for another media type and 400 for bad JSON. */
public final class JsonBody {
  private JsonBody() {
  }

  public static JsonObject object(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/json")) {
      throw new Problem(415, "Unsupported media type", "the request body must be application/json");
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw Problem.badRequest("the request body is empty; a JSON object is expected");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(body);
    } catch (DecodeException e) {
      throw Problem.badRequest("the body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!(parsed instanceof JsonObject)) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    requireWellFormedText(parsed, "");
    return (JsonObject) parsed;
  }

  /**
   * JSON may escape half a surrogate pair (backslash-u D800); that is no text, and stored it would come
   * back as '?'. Refused here once for every body, naming the field.
   */
  private static void requireWellFormedText(Object value, String path) {
    if (value instanceof JsonObject) {
      for (java.util.Map.Entry<String, Object> e : (JsonObject) value) {
        String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        checkText(e.getKey(), field + " (its name)");
        requireWellFormedText(e.getValue(), field);
      }
    } else if (value instanceof io.vertx.core.json.JsonArray) {
      io.vertx.core.json.JsonArray array = (io.vertx.core.json.JsonArray) value;
      for (int i = 0; i < array.size(); i++) {
        requireWellFormedText(array.getValue(i), path + "[" + i + "]");
      }
    } else if (value instanceof String) {
      checkText((String) value, path);
    }
  }

  private static void checkText(String s, String field) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
      if (paired) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw Problem.unprocessable(String.format("'%s' is not valid text: it holds an unpaired UTF-16 surrogate \\u%04X at index %d",
            field, (int) c, i));
      }
    }
  }

  /**
   * As {@link #object(RoutingContext)}, and refuses a field other than {@code allowed} with 422:
   * a misspelt optional field would otherwise be ignored without a word.
   */
  public static JsonObject object(RoutingContext ctx, String... allowed) {
    JsonObject body = object(ctx);
    for (String key : body.fieldNames()) {
      if (!java.util.Arrays.asList(allowed).contains(key)) {
        throw Problem.unprocessable("unknown field '" + key + "' (allowed: " + String.join(", ", allowed) + ")");
      }
    }
    return body;
  }

  public static String requiredString(JsonObject body, String field, int maxLength) {
    Object v = body.getValue(field);
    if (v == null) {
      throw Problem.unprocessable("'" + field + "' is required");
    }
    if (!(v instanceof String)) {
      throw Problem.unprocessable("'" + field + "' must be a string");
    }
    String s = ((String) v).trim();
    if (s.isEmpty()) {
      throw Problem.unprocessable("'" + field + "' must not be empty");
    }
    if (s.length() > maxLength) {
      throw Problem.unprocessable("'" + field + "' is longer than " + maxLength + " characters");
    }
    return s;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
