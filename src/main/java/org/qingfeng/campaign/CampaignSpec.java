package org.qingfeng.campaign;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.qingfeng.http.Problem;

/** A validated create/edit request. Parsing throws a 422 {@link Problem} naming the first bad field. */
public final class CampaignSpec {
  private static final Set<String> FIELDS = Set.of("name", "text", "template_id", "signature", "festival", "audience",
      "channel", "send_at", "time_zone", "send_window", "expire_at", "max_rate", "priority");

  public final String name;
  public final CampaignContent content;
  public final Audience audience;
  public final String channel;
  public final Instant sendAt;
  public final ZoneId timeZone;
  public final SendWindow window;
  public final Instant expireAt;
  public final int maxRate;
  public final int priority;

  private CampaignSpec(String name, CampaignContent content, Audience audience, String channel, Instant sendAt,
      ZoneId timeZone, SendWindow window, Instant expireAt, int maxRate, int priority) {
    this.name = name;
    this.content = content;
    this.audience = audience;
    this.channel = channel;
    this.sendAt = sendAt;
    this.timeZone = timeZone;
    this.window = window;
    this.expireAt = expireAt;
    this.maxRate = maxRate;
    this.priority = priority;
  }

  /** What parsing needs from configuration. */
  public static final class Rules {
    final Clock clock;
    final Set<String> channels;
    final int defaultMaxRate;
    final ZoneId defaultZone;

    public Rules(Clock clock, Set<String> channels, int defaultMaxRate, ZoneId defaultZone) {
      this.clock = clock;
      this.channels = channels;
      this.defaultMaxRate = defaultMaxRate;
      this.defaultZone = defaultZone;
    }
  }

  public static CampaignSpec parse(JsonObject b, Rules rules) {
    for (String key : b.fieldNames()) {
      if (!FIELDS.contains(key)) {
        throw Problem.unprocessable("'" + key + "' is not a campaign field");
      }
    }
    String name = string(b, "name", 200, true);
    String text = string(b, "text", 2000, false);
    Long templateId = null;
    if (b.getValue("template_id") != null) {
      Object t = b.getValue("template_id");
      if (!(t instanceof Number) || ((Number) t).longValue() <= 0) {
        throw Problem.unprocessable("'template_id' must be a positive whole number");
      }
      templateId = ((Number) t).longValue();
    }
    if ((text == null) == (templateId == null)) {
      throw Problem.unprocessable("give exactly one of 'text' or 'template_id'");
    }
    String signature = string(b, "signature", 40, false);
    String festival = string(b, "festival", 50, false);
    Audience audience = Audience.parse(b.getValue("audience"));
    String channel = b.getValue("channel") == null ? "default" : string(b, "channel", 100, true);
    if (!rules.channels.contains(channel)) {
      throw Problem.unprocessable("'channel' '" + channel + "' is not configured; known: " + String.join(", ", rules.channels));
    }
    Instant now = rules.clock.instant();
    Instant sendAt = instant(b, "send_at", true);
    if (sendAt.isBefore(now)) {
      throw Problem.unprocessable("'send_at' " + sendAt + " is in the past (now " + now + ")");
    }
    ZoneId zone = rules.defaultZone;
    if (b.getValue("time_zone") != null) {
      String z = string(b, "time_zone", 100, true);
      try {
        zone = ZoneId.of(z);
      } catch (DateTimeException e) {
        throw Problem.unprocessable("'time_zone' '" + z + "' is not a known time zone (e.g. Asia/Shanghai)");
      }
    }
    SendWindow window = SendWindow.parse(b.getValue("send_window"));
    Instant expireAt = instant(b, "expire_at", false);
    if (expireAt != null && !expireAt.isAfter(sendAt)) {
      throw Problem.unprocessable("'expire_at' must be after 'send_at'");
    }
    int maxRate = integer(b, "max_rate", 1, 10_000, rules.defaultMaxRate);
    int priority = integer(b, "priority", 0, 9, 5);
    return new CampaignSpec(name, new CampaignContent(text, templateId, signature, festival), audience, channel,
        sendAt, zone, window, expireAt, maxRate, priority);
  }

  private static String string(JsonObject b, String field, int max, boolean required) {
    Object v = b.getValue(field);
    if (v == null) {
      if (required) {
        throw Problem.unprocessable("'" + field + "' is required");
      }
      return null;
    }
    if (!(v instanceof String) || ((String) v).isBlank()) {
      throw Problem.unprocessable("'" + field + "' must be a non-empty string");
    }
    String s = ((String) v).strip();
    if (s.length() > max) {
      throw Problem.unprocessable("'" + field + "' is longer than " + max + " characters");
    }
    return s;
  }

  private static Instant instant(JsonObject b, String field, boolean required) {
    String s = string(b, field, 64, required);
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.unprocessable("'" + field + "' must be an ISO-8601 time with offset, e.g. 2026-02-16T09:00:00+08:00");
    }
  }

  private static int integer(JsonObject b, String field, int min, int max, int dflt) {
    Object v = b.getValue(field);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number) || ((Number) v).doubleValue() != ((Number) v).intValue()) {
      throw Problem.unprocessable("'" + field + "' must be a whole number");
    }
    int i = ((Number) v).intValue();
    if (i < min || i > max) {
      throw Problem.unprocessable("'" + field + "' must be between " + min + " and " + max);
    }
    return i;
  }
}
