package org.qingfeng.led;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
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
 *
 * <p>Alerts come and go far more often than content, and an alert reaches thousands of screens
 * at once: the part after the alerts (items and rotation, {@link Rest}) is kept with the
 * compiled playlist and reused while content, screens and the day range are the same, so an
 * alert only splices its entry in front.
 */
public final class PlaylistCompiler {
  private final int lookaheadH;

  public PlaylistCompiler(int lookaheadH) {
    this.lookaheadH = lookaheadH;
  }

  /** The screen's items and rotation as JSON array members and text lines, for one snapshot and day range. */
  static final class Rest {
    final LedSnapshot.Content content;
    final LedSnapshot.Screens screens;
    final Screen screen;
    final long from;
    final long until;
    final String json;
    final String text;

    Rest(LedSnapshot.Content content, LedSnapshot.Screens screens, Screen screen, long from, long until, String json, String text) {
      this.content = content;
      this.screens = screens;
      this.screen = screen;
      this.from = from;
      this.until = until;
      this.json = json;
      this.text = text;
    }

    boolean sameFor(LedSnapshot snap, Screen s, long f, long u) {
      return content == snap.content && screens == snap.screens && screen == s && from == f && until == u;
    }
  }

  public Playlist compile(LedSnapshot snap, Screen screen, Instant now) {
    return compile(snap, screen, now, null);
  }

  /** As {@link #compile(LedSnapshot, Screen, Instant)}, reusing what {@code previous} (may be null) still holds. */
  public Playlist compile(LedSnapshot snap, Screen screen, Instant now, Playlist previous) {
    ZoneId zone = screen.zone;
    LocalDate today = now.atZone(zone).toLocalDate();
    LocalDate lastDay = now.plus(lookaheadH, ChronoUnit.HOURS).atZone(zone).toLocalDate();
    Instant from = today.atStartOfDay(zone).toInstant();
    Instant until = lastDay.plusDays(1).atStartOfDay(zone).toInstant();
    Instant validUntil = today.plusDays(1).atStartOfDay(zone).toInstant();

    Rest rest = previous != null && previous.rest != null
        && previous.rest.sameFor(snap, screen, from.getEpochSecond(), until.getEpochSecond())
        ? previous.rest : rest(snap, screen, from, until, today, lastDay);

    StringBuilder items = new StringBuilder(rest.json.length() + 400);
    StringBuilder text = new StringBuilder(rest.text.length() + 200);
    boolean alertActive = false;
    for (Alert a : snap.alerts.live) {
      if (!a.screens.contains(screen.id) || !a.expiresAt.isAfter(now)) {
        continue;
      }
      if (a.expiresAt.isBefore(validUntil)) {
        validUntil = a.expiresAt;
      }
      List<long[]> ws = List.<long[]>of(new long[] {Math.max(a.createdAt.getEpochSecond(), from.getEpochSecond()),
          a.expiresAt.getEpochSecond()});
      items.append(alertActive ? ",{\"kind\":\"alert\",\"alert_id\":" : "{\"kind\":\"alert\",\"alert_id\":").append(a.id)
          .append(",\"content_hash\":");
      PlaylistJson.string(items, a.contentHash).append(",\"text\":");
      PlaylistJson.string(items, a.text).append(",\"category\":\"notice\",\"effect\":\"flash\",\"speed\":5,\"dwell_s\":10,")
          .append("\"colour\":\"#ff0000\",\"font_size\":16,\"priority\":1000,\"preempt\":true,\"windows\":")
          .append(PlaylistJson.windows(ws, zone)).append('}');
      line(text, "alert", a.id, a.contentHash, 10, "flash", PlaylistJson.windowsText(ws), a.text);
      alertActive = true;
    }
    if (!rest.json.isEmpty()) {
      items.append(alertActive ? "," : "").append(rest.json);
    }
    text.append(rest.text);

    StringBuilder head = new StringBuilder(items.length() + 300).append("{\"screen_id\":").append(screen.id)
        .append(",\"time_zone\":");
    PlaylistJson.string(head, zone.getId()).append(",\"from\":\"").append(PlaylistJson.iso(from.getEpochSecond(), zone))
        .append("\",\"until\":\"").append(PlaylistJson.iso(until.getEpochSecond(), zone))
        .append("\",\"valid_until\":\"").append(PlaylistJson.iso(validUntil.getEpochSecond(), zone))
        .append("\",\"alert_active\":").append(alertActive).append(",\"items\":[").append(items).append(']');
    byte[] digest = sha256(head.toString().getBytes(StandardCharsets.UTF_8));
    int nextPoll = nextPollSeconds(screen, digest);
    // next_poll_s follows from the content, so it is appended after hashing; the ETag names both,
    // so any change of the bytes changes it without hashing the body a second time.
    Buffer json = Buffer.buffer(head.append(",\"next_poll_s\":").append(nextPoll).append('}').toString());
    String etag = "\"j" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27)
        + Integer.toString(nextPoll, 36) + "\"";
    return new Playlist(screen.id, snap.generation, validUntil, nextPoll, json, etag, Buffer.buffer(text.toString()), rest);
  }

  private Rest rest(LedSnapshot snap, Screen screen, Instant from, Instant until, LocalDate today, LocalDate lastDay) {
    StringBuilder json = new StringBuilder();
    StringBuilder text = new StringBuilder();
    List<Item> targeted = new ArrayList<>();
    for (Item it : snap.content.targeted) {
      if (it.targets(screen)) {
        targeted.add(it);
      }
    }
    targeted.sort(Comparator.comparingInt((Item it) -> -it.priority).thenComparingLong(it -> it.id));
    for (Item it : targeted) {
      List<long[]> ws = it.schedule.windows(screen.zone, from, until);
      if (!ws.isEmpty()) {
        entry(json, "item", it, PlaylistJson.windows(ws, screen.zone)).append('}');
        line(text, "item", it.id, it.contentHash, it.dwellS, it.effect, PlaylistJson.windowsText(ws), it.text);
      }
    }
    addRotation(snap, screen, from, until, today, lastDay, json, text);
    return new Rest(snap.content, snap.screens, screen, from.getEpochSecond(), until.getEpochSecond(),
        json.toString(), text.toString());
  }

  private void addRotation(LedSnapshot snap, Screen screen, Instant from, Instant until, LocalDate today,
      LocalDate lastDay, StringBuilder json, StringBuilder text) {
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
        String library = PlaylistJson.string(new StringBuilder(), snap.content.libraryNames.get(a.libraryId)).toString();
        for (LocalDate day = today; !day.isAfter(lastDay); day = day.plusDays(1)) {
          long dayIndex = ChronoUnit.DAYS.between(a.startDate, day);
          Instant dayStart = day.atStartOfDay(screen.zone).toInstant();
          Instant dayEnd = day.plusDays(1).atStartOfDay(screen.zone).toInstant();
          List<long[]> ws = new Schedule(List.of(part), 0, dayStart, dayEnd).windows(screen.zone, from, until);
          if (dayIndex < 0 || ws.isEmpty()) {
            continue;
          }
          String wsJson = PlaylistJson.windows(ws, screen.zone);
          String wsText = PlaylistJson.windowsText(ws);
          String dayTail = ",\"library\":" + library + ",\"date\":\"" + day + "\",\"seq\":";
          int[] positions = Rotation.positions(rules.size(), members.size(), screenIndex, dayIndex, perDay);
          for (int seq = 0; seq < positions.length; seq++) {
            Item rule = rules.get(positions[seq]);
            entry(json, "rotation", rule, wsJson).append(dayTail).append(seq).append('}');
            line(text, "rotation", rule.id, rule.contentHash, rule.dwellS, rule.effect, wsText, rule.text);
          }
        }
      }
    }
  }

  /** Appends an item entry up to its windows, leaving the object open for the caller's members. */
  private static StringBuilder entry(StringBuilder json, String kind, Item it, String windowsJson) {
    return json.append(json.isEmpty() ? "{\"kind\":\"" : ",{\"kind\":\"").append(kind).append("\",")
        .append(PlaylistJson.itemFields(it)).append(",\"windows\":").append(windowsJson);
  }

  /** kind TAB id TAB content_hash TAB dwell_s TAB effect TAB from-until[,from-until] (epoch s) TAB text, then a newline. */
  private static void line(StringBuilder b, String kind, long id, String hash, int dwell, String effect, String windows, String text) {
    b.append(kind).append('\t').append(id).append('\t').append(hash).append('\t').append(dwell).append('\t')
        .append(effect).append('\t').append(windows).append('\t')
        .append(text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")).append('\n');
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

  static String etag(String kind, Buffer body) {
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
