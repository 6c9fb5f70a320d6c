package org.qingfeng.campaign;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** One campaign row as the lifecycle, the scheduler and the API see it. */
public final class Campaign {
  public long id;
  public String name;
  public CampaignContent content;
  public Audience audience;
  public String channel;
  public Instant sendAt;
  public ZoneId timeZone;
  public SendWindow window;
  public Instant expireAt;
  public int maxRate;
  public int priority;
  public CampaignStatus status;
  public String pauseReason;
  public long createdBy;
  public String createdByName;
  public Long approvedBy;
  public long expandCursor;
  public boolean expandDone;
  public boolean requeue;
  public int audienceMatched;
  public int excludedOptedOut;
  public int excludedInvalid;
  public int excludedCapped;
  public int outcomeUnknown;
  public Instant createdAt;
  public Instant updatedAt;
  public Instant startedAt;
  public Instant finishedAt;

  /** The column list {@link #from} reads. */
  static final String COLUMNS = "id, name, text, template_id, signature, festival, audience, channel, send_at, time_zone, "
      + "window_start, window_end, expire_at, max_rate, priority, status, pause_reason, created_by, created_by_name, "
      + "approved_by, expand_cursor, expand_done, requeue, audience_matched, excluded_opted_out, excluded_invalid, "
      + "excluded_capped, outcome_unknown, created_at, updated_at, started_at, finished_at";

  static Campaign from(Row r) {
    Campaign c = new Campaign();
    c.id = r.getLong("id");
    c.name = r.getString("name");
    c.content = new CampaignContent(r.getString("text"), r.getLong("template_id"), r.getString("signature"),
        r.getString("festival"));
    Object aud = r.getValue("audience");
    c.audience = Audience.fromJson(aud instanceof JsonObject ? (JsonObject) aud : new JsonObject(String.valueOf(aud)));
    c.channel = r.getString("channel");
    c.sendAt = instant(r.getOffsetDateTime("send_at"));
    c.timeZone = ZoneId.of(r.getString("time_zone"));
    c.window = r.getLocalTime("window_start") == null ? SendWindow.ALWAYS
        : new SendWindow(r.getLocalTime("window_start"), r.getLocalTime("window_end"));
    c.expireAt = instant(r.getOffsetDateTime("expire_at"));
    c.maxRate = r.getInteger("max_rate");
    c.priority = r.getInteger("priority");
    c.status = CampaignStatus.parse(r.getString("status"));
    c.pauseReason = r.getString("pause_reason");
    c.createdBy = r.getLong("created_by");
    c.createdByName = r.getString("created_by_name");
    c.approvedBy = r.getLong("approved_by");
    c.expandCursor = r.getLong("expand_cursor");
    c.expandDone = r.getBoolean("expand_done");
    c.requeue = r.getBoolean("requeue");
    c.audienceMatched = r.getInteger("audience_matched");
    c.excludedOptedOut = r.getInteger("excluded_opted_out");
    c.excludedInvalid = r.getInteger("excluded_invalid");
    c.excludedCapped = r.getInteger("excluded_capped");
    c.outcomeUnknown = r.getInteger("outcome_unknown");
    c.createdAt = instant(r.getOffsetDateTime("created_at"));
    c.updatedAt = instant(r.getOffsetDateTime("updated_at"));
    c.startedAt = instant(r.getOffsetDateTime("started_at"));
    c.finishedAt = instant(r.getOffsetDateTime("finished_at"));
    return c;
  }

  /** True when messages may be submitted now: running, inside the window, not expired. */
  public boolean sendableAt(Instant now) {
    return status == CampaignStatus.RUNNING && window.isOpen(now, timeZone) && (expireAt == null || now.isBefore(expireAt));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("text", content.text)
        .put("template_id", content.templateId)
        .put("signature", content.signature)
        .put("festival", content.festival)
        .put("audience", audience.toJson())
        .put("channel", channel)
        .put("send_at", iso(sendAt, timeZone))
        .put("time_zone", timeZone.getId())
        .put("send_window", window.toJson())
        .put("expire_at", iso(expireAt, timeZone))
        .put("max_rate", maxRate)
        .put("priority", priority)
        .put("status", status.wireName())
        .put("pause_reason", pauseReason)
        .put("created_by", new JsonObject().put("token_id", createdBy).put("name", createdByName))
        .put("approved_by", approvedBy)
        .put("created_at", iso(createdAt, timeZone))
        .put("updated_at", iso(updatedAt, timeZone))
        .put("started_at", iso(startedAt, timeZone))
        .put("finished_at", iso(finishedAt, timeZone));
  }

  static OffsetDateTime odt(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static String iso(Instant i, ZoneId zone) {
    return i == null ? null : i.atZone(zone).toOffsetDateTime().toString();
  }
}
