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
    return (JsonObject) parsed;
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
