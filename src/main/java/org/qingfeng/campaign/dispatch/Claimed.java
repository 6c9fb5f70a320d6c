package org.qingfeng.campaign.dispatch;

import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.ZoneId;
import org.qingfeng.campaign.SendWindow;

/** A message this sender moved to submitting, with what it needs to know about its campaign. */
final class Claimed {
  final long id;
  final long campaignId;
  final String phone;
  final String text;
  final int parts;
  final int attempts;
  final String channel;
  final int maxRate;
  final ZoneId zone;
  final SendWindow window;
  final Instant expireAt;

  Claimed(Row r) {
    id = r.getLong("id");
    campaignId = r.getLong("campaign_id");
    phone = r.getString("phone");
    text = r.getString("text");
    parts = r.getInteger("parts");
    attempts = r.getInteger("attempts");
    channel = r.getString("channel");
    maxRate = r.getInteger("max_rate");
    zone = ZoneId.of(r.getString("time_zone"));
    window = r.getLocalTime("window_start") == null ? SendWindow.ALWAYS
        : new SendWindow(r.getLocalTime("window_start"), r.getLocalTime("window_end"));
    expireAt = r.getOffsetDateTime("expire_at") == null ? null : r.getOffsetDateTime("expire_at").toInstant();
  }

  /** The sender's own check: never submit outside the window or after expire_at, whatever the scheduler did. */
  boolean sendableAt(Instant now) {
    return window.isOpen(now, zone) && (expireAt == null || now.isBefore(expireAt));
  }
}
