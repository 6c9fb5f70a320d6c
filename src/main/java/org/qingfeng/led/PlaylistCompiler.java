package org.qingfeng.led;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.qingfeng.led.LedSnapshot.Alert;
import org.qingfeng.led.LedSnapshot.Assignment;
import org.qingfeng.led.LedSnapshot.Item;
import org.qingfeng.led.LedSnapshot.Screen;

/**
 * Compiles a screen's playlist from a snapshot: live alerts first (they pre-empt everything
 * while their window runs), then targeted items by priority, then the screen's share of each
 * rule library rolled on its groups, day by day. The playlist covers local days from today
 * until the lookahead is reached, so it is stable (same bytes, same ETag) until the next local
 * midnight, an alert expiry, or a content change.
 */
public final class PlaylistCompiler {
  private final int lookaheadH;

  public PlaylistCompiler(int lookaheadH) {
    this.lookaheadH = lookaheadH;
  }

  public Playlist compile(LedSnapshot snap, Screen screen, Instant now) {
    ZoneId zone = screen.zone;
    LocalDate today = now.atZone(zone).toLocalDate();
    LocalDate lastDay = now.plus(lookaheadH, ChronoUnit.HOURS).atZone(zone).toLocalDate();
    Instant from = today.atStartOfDay(zone).toInstant();
    Instant until = lastDay.plusDays(1).atStartOfDay(zone).toInstant();
    Instant validUntil = today.plusDays(1).atStartOfDay(zone).toInstant();

    List<JsonObject> entries = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (Alert a : snap.alerts.live) {
      if (!a.screens.contains(screen.id) || !a.expiresAt.isAfter(now)) {
        continue;
      }
      if (a.expiresAt.isBefore(validUntil)) {
        validUntil = a.expiresAt;
      }
      long[] w = {Math.max(a.createdAt.getEpochSecond(), from.getEpochSecond()), a.expiresAt.getEpochSecond()};
      entries.add(new JsonObject().put("kind", "alert").put("alert_id", a.id).put("content_hash", a.contentHash)
          .put("text", a.text).put("category", "notice").put("effect", "flash").put("speed", 5).put("dwell_s", 10)
          .put("colour", "#ff0000").put("font_size", 16).put("priority", 1000).put("preempt", true)
          .put("windows", windows(List.<long[]>of(w), zone)));
      lines.add(line("alert", a.id, a.contentHash, 10, "flash", List.<long[]>of(w), a.text));
    }
    boolean alertActive = !entries.isEmpty();

    List<Item> targeted = new ArrayList<>();
    for (Item it : snap.content.targeted) {
      if (it.targets(screen)) {
        targeted.add(it);
      }
    }
    targeted.sort(Comparator.comparingInt((Item it) -> -it.priority).thenComparingLong(it -> it.id));
    for (Item it : targeted) {
      List<long[]> ws = it.schedule.windows(zone, from, until);
      if (!ws.isEmpty()) {
        entries.add(itemJson("item", it, ws, zone));
        lines.add(line("item", it.id, it.contentHash, it.dwellS, it.effect, ws, it.text));
      }
    }
    addRotation(snap, screen, from, until, today, lastDay, entries, lines);

    JsonObject body = new JsonObject()
        .put("screen_id", screen.id)
        .put("time_zone", zone.getId())
        .put("from", iso(from, zone))
        .put("until", iso(until, zone))
        .put("valid_until", iso(validUntil, zone))
        .put("alert_active", alertActive)
        .put("items", new JsonArray(new ArrayList<>(entries)));
    String encoded = body.encode();
    int nextPoll = nextPollSeconds(screen, sha256(encoded.getBytes(StandardCharsets.UTF_8)));
    // next_poll_s follows from the content, so it is appended rather than encoding twice.
    Buffer json = Buffer.buffer(encoded.substring(0, encoded.length() - 1) + ",\"next_poll_s\":" + nextPoll + "}");
    Buffer text = Buffer.buffer(String.join("\n", lines) + (lines.isEmpty() ? "" : "\n"));
    return new Playlist(screen.id, snap.generation, validUntil, nextPoll, json, etag("j", json), text, etag("t", text));
  }

  private void addRotation(LedSnapshot snap, Screen screen, Instant from, Instant until, LocalDate today,
      LocalDate lastDay, List<JsonObject> entries, List<String> lines) {
    for (Long groupId : screen.groupIds.stream().sorted().toList()) {
      List<Assignment> assignments = snap.content.assignmentsByGroup.getOrDefault(groupId, List.of());
      List<Long> members = snap.screens.membersByGroup.getOrDefault(groupId, List.of());
      int screenIndex = members.indexOf(screen.id);
      if (screenIndex < 0) {
        continue;
      }
      for (Assignment a : assignments) {
        List<Item> rules = snap.content.libraryRules.getOrDefault(a.libraryId, List.of());
        if (rules.isEmpty()) {
          continue;
        }
        Daypart part = a.daypart == null ? Daypart.parse("00:00-24:00") : a.daypart;
        int perDay = a.rulesPerDay != null ? Math.min(a.rulesPerDay, rules.size())
            : Rotation.defaultPerDay(rules.size(), part.lengthSeconds(), rules.get(0).dwellS);
        String library = snap.content.libraryNames.get(a.libraryId);
        for (LocalDate day = today; !day.isAfter(lastDay); day = day.plusDays(1)) {
          long dayIndex = ChronoUnit.DAYS.between(a.startDate, day);
          Instant dayStart = day.atStartOfDay(screen.zone).toInstant();
          Instant dayEnd = day.plusDays(1).atStartOfDay(screen.zone).toInstant();
          List<long[]> ws = new Schedule(List.of(part), 0, dayStart, dayEnd).windows(screen.zone, from, until);
          if (dayIndex < 0 || ws.isEmpty()) {
            continue;
          }
          int[] positions = Rotation.positions(rules.size(), members.size(), screenIndex, dayIndex, perDay);
          for (int seq = 0; seq < positions.length; seq++) {
            Item rule = rules.get(positions[seq]);
            entries.add(itemJson("rotation", rule, ws, screen.zone).put("library", library)
                .put("date", day.toString()).put("seq", seq));
            lines.add(line("rotation", rule.id, rule.contentHash, rule.dwellS, rule.effect, ws, rule.text));
          }
        }
      }
    }
  }

  private static JsonObject itemJson(String kind, Item it, List<long[]> ws, ZoneId zone) {
    return new JsonObject().put("kind", kind).put("item_id", it.id).put("version", it.version)
        .put("content_hash", it.contentHash).put("text", it.text).put("category", it.category)
        .put("effect", it.effect).put("speed", it.speed).put("dwell_s", it.dwellS).put("colour", it.colour)
        .put("font_size", it.fontSize).put("priority", it.priority).put("windows", windows(ws, zone));
  }

  private static JsonArray windows(List<long[]> ws, ZoneId zone) {
    JsonArray out = new JsonArray();
    for (long[] w : ws) {
      out.add(new JsonObject().put("from", iso(Instant.ofEpochSecond(w[0]), zone)).put("until", iso(Instant.ofEpochSecond(w[1]), zone)));
    }
    return out;
  }

  /** kind TAB id TAB content_hash TAB dwell_s TAB effect TAB from-until[,from-until] (epoch s) TAB text. */
  private static String line(String kind, long id, String hash, int dwell, String effect, List<long[]> ws, String text) {
    StringBuilder b = new StringBuilder(kind).append('\t').append(id).append('\t').append(hash).append('\t')
        .append(dwell).append('\t').append(effect).append('\t');
    for (int i = 0; i < ws.size(); i++) {
      b.append(i == 0 ? "" : ",").append(ws.get(i)[0]).append('-').append(ws.get(i)[1]);
    }
    b.append('\t').append(text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n"));
    return b.toString();
  }

  /**
   * About 0.9 x the poll interval, plus a fixed per-screen offset and a jitter that follows the
   * playlist content: a fleet spreads out instead of polling in step, and the body stays stable.
   */
  static int nextPollSeconds(Screen screen, byte[] digest) {
    int interval = screen.pollIntervalS;
    int spread = Math.max(1, interval / 20);
    int offset = (int) Math.floorMod(screen.id * 0x9E3779B97F4A7C15L >>> 16, (long) spread);
    int jitter = Math.floorMod(((digest[0] & 0xff) << 8) | (digest[1] & 0xff), spread + 1);
    return Math.max(1, interval - 2 * spread + offset + jitter);
  }

  static String iso(Instant t, ZoneId zone) {
    return OffsetDateTime.ofInstant(t, zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  private static String etag(String kind, Buffer body) {
    byte[] d = sha256(body.getBytes());
    return "\"" + kind + Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 27) + "\"";
  }

  /** One digest per thread: looking the algorithm up costs more than hashing a secret. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  static byte[] sha256(byte[] b) {
    MessageDigest d = SHA256.get();
    d.reset();
    return d.digest(b);
  }
}
