package org.qingfeng.http;

import io.vertx.core.json.JsonObject;

/**
 * An error to answer as RFC 9457 problem+json. Thrown or failed anywhere in a request; the
 * one failure handler turns it into the response.
 */
public class Problem extends RuntimeException {
  private final int status;
  private final String title;
  private final JsonObject extensions;

  public Problem(int status, String title, String detail) {
    this(status, title, detail, null);
  }

  public Problem(int status, String title, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.extensions = extensions;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public JsonObject extensions() {
    return extensions;
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "Bad request", detail);
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, "Unauthorized", detail);
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "Forbidden", detail);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "Not found", detail);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "Conflict", detail);
  }

  public static Problem unprocessable(String detail) {
    return new Problem(422, "Unprocessable content", detail);
  }

  public static Problem unprocessable(String detail, JsonObject extensions) {
    return new Problem(422, "Unprocessable content", detail, extensions);
  }

  public static Problem unavailable(String detail) {
    return new Problem(503, "Service unavailable", detail);
  }
}
