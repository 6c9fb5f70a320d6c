package org.qingfeng.led;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.qingfeng.led.LedSnapshot.Item;

/**
 * The pieces a playlist's JSON is assembled from, written by hand: an alert fanned out to
 * thousands of screens compiles thousands of playlists at once, and building a JsonObject tree
 * and encoding it through Jackson cost most of that. Output is what Jackson wrote for the same
 * values (same member order, same escaping, non-ASCII as UTF-8).
 */
final class PlaylistJson {
  /** Window boundaries repeat (local midnights, daypart starts), so each is formatted once per zone. */
  private static final Map<ZoneId, Map<Long, String>> ISO = new ConcurrentHashMap<>();
  private static final int ISO_CACHE_MAX = 8192;
  private static final String HEX = "0123456789ABCDEF";

  private PlaylistJson() {
  }

  /** An item's members that depend only on its version: everything but kind and windows, once per item version. */
  static String itemFields(Item it) {
    String s = it.encodedFields;
    if (s == null) {
      StringBuilder b = new StringBuilder(160 + it.text.length());
      b.append("\"item_id\":").append(it.id).append(",\"version\":").append(it.version).append(",\"content_hash\":");
      string(b, it.contentHash).append(",\"text\":");
      string(b, it.text).append(",\"category\":");
      string(b, it.category).append(",\"effect\":");
      string(b, it.effect).append(",\"speed\":").append(it.speed).append(",\"dwell_s\":").append(it.dwellS)
          .append(",\"colour\":");
      string(b, it.colour).append(",\"font_size\":").append(it.fontSize).append(",\"priority\":").append(it.priority);
      s = b.toString();
      it.encodedFields = s; // a benign race: every thread computes the same immutable string
    }
    return s;
  }

  /** [{"from":iso,"until":iso},...] for windows in epoch seconds. */
  static String windows(List<long[]> ws, ZoneId zone) {
    StringBuilder b = new StringBuilder(2 + ws.size() * 64).append('[');
    for (int i = 0; i < ws.size(); i++) {
      b.append(i == 0 ? "{\"from\":\"" : ",{\"from\":\"").append(iso(ws.get(i)[0], zone))
          .append("\",\"until\":\"").append(iso(ws.get(i)[1], zone)).append("\"}");
    }
    return b.append(']').toString();
  }

  /** from-until[,from-until] in epoch seconds, the text/plain form's windows column. */
  static String windowsText(List<long[]> ws) {
    StringBuilder b = new StringBuilder(ws.size() * 22);
    for (int i = 0; i < ws.size(); i++) {
      b.append(i == 0 ? "" : ",").append(ws.get(i)[0]).append('-').append(ws.get(i)[1]);
    }
    return b.toString();
  }

  /** ISO-8601 with the zone's offset at that instant, e.g. 2025-01-31T22:00:00+08:00. */
  static String iso(long epochSecond, ZoneId zone) {
    Map<Long, String> byTime = ISO.computeIfAbsent(zone, z -> new ConcurrentHashMap<>());
    String s = byTime.get(epochSecond);
    if (s == null) {
      if (byTime.size() >= ISO_CACHE_MAX) {
        byTime.clear();
      }
      s = OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      byTime.put(epochSecond, s);
    }
    return s;
  }

  /** A JSON string (or null), escaped as Jackson does by default. */
  static StringBuilder string(StringBuilder b, String s) {
    if (s == null) {
      return b.append("null");
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20) {
            b.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }
}
