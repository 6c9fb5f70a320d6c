package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * Issue 6 end to end: weekdays and dayparts are resolved in the screen's own time zone, across
 * midnight, in the playlist the screen fetches. Expectations come from java.time at run time,
 * so the test holds on any day and at any hour.
 */
@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LedScreenTimeZoneTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  /** Far from UTC and Shanghai, and without DST, so 22:00 and 02:00 exist on every local day. */
  private static final ZoneId KIRITIMATI = ZoneId.of("Pacific/Kiritimati");
  private static final ZoneId PAGO_PAGO = ZoneId.of("Pacific/Pago_Pago");
  private static final Duration LOOKAHEAD = Duration.ofHours(24);

  static QingfengServer server;
  static LedClient led;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of());
    led = new LedClient(server.httpPort());
  }

  @AfterAll
  static void stop() {
    LedClient.stop(led, server);
  }

  @Test
  void weekdaysAndDaypartsAcrossMidnightFollowTheScreensZone() {
    // "Today" must stay today from picking the weekdays to reading the playlist; should a local
    // midnight pass in between, the check runs again on a fresh screen.
    boolean checked = false;
    for (int attempt = 1; attempt <= 3 && !checked; attempt++) {
      checked = checkOnce("hw-tz-far-" + attempt);
    }
    assertThat(checked).as("a local midnight passed during every attempt").isTrue();
  }

  @Test
  void aLibraryAssignedWithoutAStartDateRollsTodayOnAScreenFarWest() {
    // UTC-12: for half of every UTC day its date is still yesterday's, so a first day taken from
    // the server's clock (UTC here, or Shanghai) would be tomorrow for it.
    ZoneId west = ZoneId.of("Etc/GMT+12");
    long group = led.group("far west", "township");
    String cred = led.screen("hw-tz-far-west", west.getId(), group);
    HttpResponse<Buffer> imported = led.call(HttpMethod.POST, "/api/v1/led/items/import?library=far-west-rules",
        Map.of("Authorization", "Bearer " + TestInfra.ADMIN_TOKEN), "text/plain; charset=utf-8", "廉洁奉公\n秉公用权\n");
    assertThat(imported.statusCode()).as(imported.bodyAsString()).isEqualTo(201);
    Instant before = Instant.now();
    long library = imported.bodyAsJsonObject().getLong("library_id");
    JsonObject assigned = led.adminOk(HttpMethod.POST, "/api/v1/led/libraries/" + library + "/assignments",
        new JsonObject().put("group_id", group));
    JsonObject playlist = led.poll(cred, null).bodyAsJsonObject();
    LocalDate today = before.atZone(west).toLocalDate();
    if (!Instant.now().atZone(west).toLocalDate().equals(today)) {
      return; // its midnight passed meanwhile: nothing to compare (a minute a day)
    }
    assertThat(assigned.getString("start_date")).isEqualTo(today.toString());
    assertThat(playlist.getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(e -> "rotation".equals(e.getString("kind"))).map(e -> e.getString("date")))
        .as("rotation in %s", playlist).contains(today.toString());
  }

  /** False when a local midnight passed during the check, so that its expectations may be stale. */
  private boolean checkOnce(String hardwareKey) {
    Instant before = Instant.now();
    ZoneId zone = farZone(before);
    LocalDate today = before.atZone(zone).toLocalDate();
    LocalDate lastDay = before.plus(LOOKAHEAD).atZone(zone).toLocalDate();
    DayOfWeek shanghaiToday = before.atZone(SHANGHAI).getDayOfWeek();
    assertThat(shanghaiToday).as("farZone picks a zone whose date differs from Shanghai's").isNotEqualTo(today.getDayOfWeek());

    // Enrolled without a zone it is on the server's default; an operator moves it.
    String cred = led.screen(hardwareKey, null);
    long screen = LedClient.idOf(cred);
    assertThat(led.poll(cred, null).bodyAsJsonObject().getString("time_zone")).isEqualTo("Asia/Shanghai");
    led.adminOk(HttpMethod.PATCH, "/api/v1/led/screens/" + screen, new JsonObject().put("time_zone", zone.getId()));

    long todayOnly = item(screen, "本地今日", List.of(), today.getDayOfWeek());
    long shanghaiDayOnly = item(screen, "上海今日", List.of(), shanghaiToday);
    long nightFromToday = item(screen, "今夜", List.of("22:00-02:00"), today.getDayOfWeek());
    long nightFromYesterday = item(screen, "昨夜", List.of("22:00-02:00"), today.minusDays(1).getDayOfWeek());

    JsonObject body = led.poll(cred, null).bodyAsJsonObject();
    Instant after = Instant.now();
    if (!after.atZone(zone).toLocalDate().equals(today) || !after.plus(LOOKAHEAD).atZone(zone).toLocalDate().equals(lastDay)
        || after.atZone(SHANGHAI).getDayOfWeek() != shanghaiToday) {
      return false;
    }

    assertThat(body.getString("time_zone")).isEqualTo(zone.getId());
    // The playlist runs from local midnight today to the end of the local day now + 24 h reaches.
    assertThat(OffsetDateTime.parse(body.getString("from"))).isEqualTo(local(today, 0, zone));
    assertThat(OffsetDateTime.parse(body.getString("until"))).isEqualTo(local(lastDay.plusDays(1), 0, zone));

    // Limited to today's weekday in the screen's zone: the whole local day, and no other.
    assertThat(windowsOf(body, todayOnly)).as("today's weekday in %s", zone)
        .containsExactly(List.of(local(today, 0, zone), local(today.plusDays(1), 0, zone)));

    // Limited to the weekday that is today in Shanghai but not here: nothing today; only a later
    // local day of that weekday inside the playlist (tomorrow when the screen is behind Shanghai).
    List<List<OffsetDateTime>> expectedShanghaiDay = new ArrayList<>();
    for (LocalDate d = today; !d.isAfter(lastDay); d = d.plusDays(1)) {
      if (d.getDayOfWeek() == shanghaiToday) {
        expectedShanghaiDay.add(List.of(local(d, 0, zone), local(d.plusDays(1), 0, zone)));
      }
    }
    assertThat(windowsOf(body, shanghaiDayOnly)).as("%s is today in Shanghai, not in %s", shanghaiToday, zone)
        .isEqualTo(expectedShanghaiDay)
        .allSatisfy(w -> assertThat(w.get(0)).isAfterOrEqualTo(local(today.plusDays(1), 0, zone)));

    // A daypart across midnight belongs to the weekday it starts on: tonight 22:00 to 02:00
    // tomorrow, though tomorrow's weekday is not listed; not this morning's 00:00-02:00, which is
    // the tail of yesterday's daypart.
    assertThat(windowsOf(body, nightFromToday)).as("22:00-02:00 on today's weekday")
        .containsExactly(List.of(local(today, 22 * 60, zone), local(today.plusDays(1), 2 * 60, zone)));
    // Started yesterday evening (before the playlist begins): only its tail after midnight shows.
    assertThat(windowsOf(body, nightFromYesterday)).as("22:00-02:00 on yesterday's weekday")
        .containsExactly(List.of(local(today, 0, zone), local(today, 2 * 60, zone)));
    return true;
  }

  /**
   * A zone whose local date now differs from Shanghai's (the server's default screen zone) and,
   * whenever any zone can, from UTC's: Kiritimati (UTC+14) from 10:00 to 16:00 UTC, Pago Pago
   * (UTC-11) otherwise. From 16:00 UTC Shanghai is already a day ahead of UTC, and no zone is on
   * a third date; Pago Pago then shares UTC's date but not Shanghai's.
   */
  static ZoneId farZone(Instant now) {
    LocalDate utc = now.atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate shanghai = now.atZone(SHANGHAI).toLocalDate();
    LocalDate kiritimati = now.atZone(KIRITIMATI).toLocalDate();
    return !kiritimati.equals(utc) && !kiritimati.equals(shanghai) ? KIRITIMATI : PAGO_PAGO;
  }

  private static long item(long screen, String text, List<String> dayparts, DayOfWeek weekday) {
    return led.adminOk(HttpMethod.POST, "/api/v1/led/items", new JsonObject().put("text", text).put("category", "notice")
        .put("dayparts", new JsonArray(new ArrayList<>(dayparts))).put("weekdays", new JsonArray().add(weekday.getValue()))
        .put("target_screens", new JsonArray().add(screen))).getLong("id");
  }

  private static OffsetDateTime local(LocalDate day, int minuteOfDay, ZoneId zone) {
    return day.atStartOfDay().plusMinutes(minuteOfDay).atZone(zone).toOffsetDateTime();
  }

  /** The item's windows as [from, until] pairs, with the offsets the playlist wrote; none when it is absent. */
  private static List<List<OffsetDateTime>> windowsOf(JsonObject playlist, long itemId) {
    List<List<OffsetDateTime>> out = new ArrayList<>();
    for (Object o : playlist.getJsonArray("items")) {
      JsonObject entry = (JsonObject) o;
      if ("item".equals(entry.getString("kind")) && entry.getLong("item_id") == itemId) {
        for (Object w : entry.getJsonArray("windows")) {
          out.add(List.of(OffsetDateTime.parse(((JsonObject) w).getString("from")),
              OffsetDateTime.parse(((JsonObject) w).getString("until"))));
        }
      }
    }
    return out;
  }
}
