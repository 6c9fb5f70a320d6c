package org.qingfeng.campaign;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.qingfeng.http.Problem;

/**
 * The hours of the day (in the campaign's time zone) when messages may be submitted, e.g.
 * 08:00–21:00. {@code start > end} is an overnight window (22:00–06:00). No window: always open.
 */
public final class SendWindow {
  public static final SendWindow ALWAYS = new SendWindow(null, null);
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  public final LocalTime start;
  public final LocalTime end;

  public SendWindow(LocalTime start, LocalTime end) {
    this.start = start;
    this.end = end;
  }

  public boolean always() {
    return start == null;
  }

  public boolean isOpen(Instant now, ZoneId zone) {
    if (always()) {
      return true;
    }
    LocalTime t = now.atZone(zone).toLocalTime();
    if (start.isBefore(end)) {
      return !t.isBefore(start) && t.isBefore(end);
    }
    return !t.isBefore(start) || t.isBefore(end);
  }

  /** Parses {"start":"08:00","end":"21:00"} (null: always open); a bad shape is a 422. */
  public static SendWindow parse(Object value) {
    if (value == null) {
      return ALWAYS;
    }
    if (!(value instanceof io.vertx.core.json.JsonObject)) {
      throw Problem.unprocessable("'send_window' must be an object like {\"start\":\"08:00\",\"end\":\"21:00\"}");
    }
    io.vertx.core.json.JsonObject o = (io.vertx.core.json.JsonObject) value;
    LocalTime start = time(o.getValue("start"), "start");
    LocalTime end = time(o.getValue("end"), "end");
    if (start.equals(end)) {
      throw Problem.unprocessable("'send_window' start and end must differ (omit the window to send at any hour)");
    }
    return new SendWindow(start, end);
  }

  private static LocalTime time(Object v, String field) {
    if (!(v instanceof String)) {
      throw Problem.unprocessable("'send_window." + field + "' must be a time like \"08:00\"");
    }
    try {
      return LocalTime.parse((String) v, HH_MM);
    } catch (DateTimeParseException e) {
      throw Problem.unprocessable("'send_window." + field + "' must be a time like \"08:00\", got '" + v + "'");
    }
  }

  public io.vertx.core.json.JsonObject toJson() {
    return always() ? null : new io.vertx.core.json.JsonObject().put("start", HH_MM.format(start)).put("end", HH_MM.format(end));
  }
}
