package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.led.LedSnapshot.Alert;
import org.qingfeng.led.LedSnapshot.Assignment;
import org.qingfeng.led.LedSnapshot.Item;
import org.qingfeng.led.LedSnapshot.Screen;

/**
 * The hand-written playlist JSON is what Jackson writes for the same values, and reusing the
 * previous compile's items and rotation never changes the bytes.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PlaylistCompilerTest {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final Instant NOW = LocalDate.parse("2025-01-31").atTime(9, 30).atZone(SHANGHAI).toInstant();
  static final String AWKWARD = "廉洁 \"quoted\" back\\slash\ttab\nnew\rline \u0001\u001f \u2028 😀 </script>";

  final PlaylistCompiler compiler = new PlaylistCompiler(24);
  final Screen screen = new Screen(7, "gate", "active", new byte[32], SHANGHAI, 60, Set.of(3L));

  static Item item(long id, Long library, String text, String colour, Schedule schedule, Set<Long> groups) {
    return new Item(id, library, "rule", "scroll-left", 4, 20, colour, 16, 5, schedule, groups, Set.of(), 2,
        "hash-" + id, text);
  }

  LedSnapshot snapshot(List<Alert> alerts, String text, long generation) {
    Item targeted = item(11, null, text, null, new Schedule(List.of(Daypart.parse("22:00-02:00")), 0, null, null), Set.of(3L));
    List<Item> rules = List.of(item(21, 5L, "规则一", "#00ff00", Schedule.always(), Set.of()),
        item(22, 5L, "规则二 \"二\"", "#00ff00", Schedule.always(), Set.of()),
        item(23, 5L, "规则三", "#00ff00", Schedule.always(), Set.of()));
    LedSnapshot.Content content = new LedSnapshot.Content(List.of(targeted), Map.of(5L, rules), Map.of(5L, "纪律 \"库\""),
        Map.of(3L, List.of(new Assignment(1, 5, 3, LocalDate.parse("2025-01-01"), 2, Daypart.parse("07:00-19:00")))));
    LedSnapshot.Screens screens = new LedSnapshot.Screens(Map.of(7L, screen), Map.of(3L, List.of(7L, 8L)));
    return new LedSnapshot(screens, content, new LedSnapshot.Alerts(alerts), generation);
  }

  static Alert alert(long id, String text) {
    return new Alert(id, text, "alert-hash-" + id, NOW.minusSeconds(60), NOW.plusSeconds(3600), Set.of(7L, 9L));
  }

  @Test
  void theJsonIsExactlyWhatJacksonWritesForTheSameValues() {
    Playlist p = compiler.compile(snapshot(List.of(alert(99, AWKWARD)), AWKWARD, 1), screen, NOW);
    String json = p.json.toString();
    JsonObject body = new JsonObject(json);
    assertThat(body.encode()).isEqualTo(json);

    assertThat(body.fieldNames()).containsExactly("screen_id", "time_zone", "from", "until", "valid_until",
        "alert_active", "items", "next_poll_s");
    assertThat(body.getLong("screen_id")).isEqualTo(7L);
    assertThat(body.getString("from")).isEqualTo("2025-01-31T00:00:00+08:00");
    assertThat(body.getString("until")).isEqualTo("2025-02-02T00:00:00+08:00");
    assertThat(body.getString("valid_until")).isEqualTo("2025-01-31T10:30:00+08:00");
    assertThat(body.getBoolean("alert_active")).isTrue();
    assertThat(body.getInteger("next_poll_s")).isEqualTo(p.nextPollS).isPositive();

    JsonArray items = body.getJsonArray("items");
    JsonObject first = items.getJsonObject(0);
    assertThat(first.getString("kind")).isEqualTo("alert");
    assertThat(first.getString("text")).isEqualTo(AWKWARD);
    assertThat(first.getBoolean("preempt")).isTrue();
    JsonObject targeted = items.getJsonObject(1);
    assertThat(targeted.getString("kind")).isEqualTo("item");
    assertThat(targeted.getString("text")).isEqualTo(AWKWARD);
    assertThat(targeted.getValue("colour")).isNull();
    assertThat(targeted.containsKey("colour")).isTrue();
    assertThat(targeted.getJsonArray("windows").getJsonObject(0).getString("until")).isEqualTo("2025-01-31T02:00:00+08:00");
    // Screen 7 is the first of two members: two rules a day, on each of the two local days.
    List<Object> rotation = items.stream().filter(o -> "rotation".equals(((JsonObject) o).getString("kind"))).toList();
    assertThat(rotation).hasSize(4);
    JsonObject r0 = (JsonObject) rotation.get(0);
    assertThat(r0.getString("library")).isEqualTo("纪律 \"库\"");
    assertThat(r0.getString("date")).isEqualTo("2025-01-31");
    assertThat(r0.getInteger("seq")).isZero();
    assertThat(r0.getJsonArray("windows").getJsonObject(0).getString("from")).isEqualTo("2025-01-31T07:00:00+08:00");

    String[] lines = p.text.toString().split("\n");
    assertThat(lines).hasSize(items.size());
    assertThat(lines[0]).startsWith("alert\t99\talert-hash-99\t10\tflash\t")
        .endsWith("\t廉洁 \"quoted\" back\\\\slash\\ttab\\nnew\\rline \u0001\u001f \u2028 😀 </script>");
  }

  @Test
  void reusingThePreviousCompileGivesTheSameBytesAndAnAlertOnlyChangesTheFront() {
    LedSnapshot quiet = snapshot(List.of(), "清风", 1);
    Playlist before = compiler.compile(quiet, screen, NOW);
    assertThat(compiler.compile(quiet, screen, NOW, before).json).isEqualTo(before.json);

    // An alert reload keeps content and screens: the rest is reused, the bytes equal a fresh compile.
    LedSnapshot alerted = new LedSnapshot(quiet.screens, quiet.content, new LedSnapshot.Alerts(List.of(alert(5, "紧急"))), 2);
    Playlist spliced = compiler.compile(alerted, screen, NOW, before);
    Playlist fresh = compiler.compile(alerted, screen, NOW);
    assertThat(spliced.json).isEqualTo(fresh.json);
    assertThat(spliced.text).isEqualTo(fresh.text);
    assertThat(spliced.etag).isEqualTo(fresh.etag).isNotEqualTo(before.etag);
    assertThat(spliced.etag(true)).isEqualTo(fresh.etag(true)).isNotEqualTo(before.etag(true));
    assertThat(new JsonObject(spliced.json).getJsonArray("items").getJsonObject(0).getString("kind")).isEqualTo("alert");

    // New content is never served from the old rest.
    LedSnapshot edited = snapshot(List.of(), "清风正气", 3);
    Playlist changed = compiler.compile(edited, screen, NOW, before);
    assertThat(changed.json).isEqualTo(compiler.compile(edited, screen, NOW).json);
    assertThat(changed.etag).isNotEqualTo(before.etag);
    assertThat(changed.etag(true)).isNotEqualTo(before.etag(true));

    // The next local day moves the range: recompiled, not reused.
    Instant tomorrow = NOW.plusSeconds(86_400);
    assertThat(compiler.compile(quiet, screen, tomorrow, before).json).isEqualTo(compiler.compile(quiet, screen, tomorrow).json);
  }

  @Test
  void aPollIntervalChangeChangesTheETagWithTheBody() {
    LedSnapshot snap = snapshot(List.of(), "清风", 1);
    Playlist a = compiler.compile(snap, screen, NOW);
    Screen slower = new Screen(7, "gate", "active", new byte[32], SHANGHAI, 600, Set.of(3L));
    Playlist b = compiler.compile(snap, slower, NOW);
    assertThat(b.nextPollS).isNotEqualTo(a.nextPollS);
    assertThat(b.json).isNotEqualTo(a.json);
    assertThat(b.etag).isNotEqualTo(a.etag);
  }
}
