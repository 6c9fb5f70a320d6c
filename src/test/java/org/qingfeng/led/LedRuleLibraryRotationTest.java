package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * Issue 6's must-hold through the real stack: 5,000 rules imported as a text file, rolled on a
 * group of 100 enrolled and approved screens, and compiled for 30 simulated days from what
 * Postgres holds. Every rule is scheduled; a screen never shows a rule twice in a day, nor
 * again on a later day while rules of the library remain that it has not been given.
 */
@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LedRuleLibraryRotationTest {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final int RULES = 5_000;
  static final int SCREENS = 100;
  static final int DAYS = 30;
  static final String LIBRARY = "廉洁自律规则库 2025";
  static QingfengServer server;
  static LedClient led;
  static long group;
  static List<String> ruleLines;
  static JsonObject firstImport;
  static JsonObject secondImport;
  static List<String> creds;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer();
    led = new LedClient(server.httpPort());
    ruleLines = new ArrayList<>();
    for (int n = 1; n <= RULES; n++) {
      // Distinct CJK texts with full-width punctuation and a character outside the BMP.
      ruleLines.add("第" + n + "条 廉洁自律，秉公用权——严守纪律红线「" + Integer.toString(n, 36) + "」🀄");
    }
    String file = String.join("\n", ruleLines) + "\n";
    firstImport = importRules(file);
    secondImport = importRules(file);
    group = led.group("Qingshan township", "township");
    creds = led.screens("hw-rotation-", SCREENS, group);
  }

  @AfterAll
  static void stop() {
    LedClient.stop(led, server);
  }

  static JsonObject importRules(String file) {
    // dwell_s=15 is what makes the default rules-a-day of a 30-minute daypart 120.
    HttpResponse<Buffer> r = led.call(HttpMethod.POST, "/api/v1/led/items/import?dwell_s=15&library="
            + URLEncoder.encode(LIBRARY, StandardCharsets.UTF_8),
        Map.of("Authorization", "Bearer " + TestInfra.ADMIN_TOKEN), "text/plain; charset=utf-8", file);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  /** The library's rule texts in rotation order (item id), as Postgres holds them. */
  static List<String> storedRuleTexts(long library) {
    List<String> texts = new ArrayList<>();
    for (Row r : Http.await(server.pool().preparedQuery("SELECT v.text FROM led_item i JOIN led_item_version v "
        + "ON v.item_id = i.id AND v.version = i.version WHERE i.library_id = $1 AND i.deleted_at IS NULL ORDER BY i.id")
        .execute(Tuple.of(library)))) {
      texts.add(r.getString(0));
    }
    return texts;
  }

  @Test
  void fiveThousandRulesAreImportedIntoTheLibraryAndImportingThemAgainAddsNothing() {
    assertThat(firstImport.getInteger("lines")).isEqualTo(RULES);
    assertThat(firstImport.getInteger("added")).isEqualTo(RULES);
    assertThat(firstImport.getInteger("duplicate_lines")).isZero();
    assertThat(secondImport.getLong("library_id")).isEqualTo(firstImport.getLong("library_id"));
    assertThat(secondImport.getInteger("added")).isZero();
    assertThat(secondImport.getInteger("already_in_library")).isEqualTo(RULES);
    // Every text arrives intact, once, in file order (the order rotation walks).
    assertThat(storedRuleTexts(firstImport.getLong("library_id"))).containsExactlyElementsOf(ruleLines);
  }

  @Test
  void twentyRulesADayCoverTheLibraryInThreeDaysWithoutRepeatsWhileRulesAreUnseen() {
    // 100 screens x 20 rules = 2,000 a day: the fleet needs ceil(5,000 / 2,000) = 3 days.
    List<List<List<Long>>> schedule = rollAndCompile(new JsonObject().put("rules_per_day", 20).put("daypart", "07:00-19:00"));
    assertRotation(schedule, 20, 3);
  }

  @Test
  void theDefaultRulesADayFillTheDaypartWithoutRepeatsWhileRulesAreUnseen() {
    // No rules_per_day: 30 minutes at the rules' 15 s dwell is 120 a day, 12,000 across the fleet.
    List<List<List<Long>>> schedule = rollAndCompile(new JsonObject().put("daypart", "07:00-07:30"));
    assertRotation(schedule, 120, 1);
  }

  /**
   * Assigns the library to the group from today through the real endpoint, checks that screens
   * polling now receive what the compiler makes of Postgres, then compiles every screen's
   * playlist at noon of each of the 30 days. Returns [screen][day] -> that day's rotation rule ids, in seq order.
   */
  static List<List<List<Long>>> rollAndCompile(JsonObject assignment) {
    LocalDate firstDay = LocalDate.now(SHANGHAI);
    led.adminOk(HttpMethod.POST, "/api/v1/led/libraries/" + firstImport.getLong("library_id") + "/assignments",
        assignment.copy().put("group_id", group).put("start_date", firstDay.toString()));
    // A runtime of the server's own classes and settings over this test's database: the same
    // load and compile a server does, but with the clock in the test's hands.
    LedRuntime runtime = new LedRuntime(led.vertx, new LedStore(server.pool()), LedSettings.from(server.config()));
    Http.await(runtime.refresh(LedRuntime.PARTS));

    for (String cred : List.of(creds.get(0), creds.get(SCREENS - 1))) {
      // The assignment's 201 follows the server's reload, so its next poll already has the rotation.
      JsonObject polled = led.poll(cred, null).bodyAsJsonObject();
      JsonObject compiled = playlist(runtime, cred, Instant.now());
      String today = LocalDate.now(SHANGHAI).toString();
      assertThat(rotationEntries(polled, today)).as("screen %s polled today", cred.substring(0, cred.indexOf('.')))
          .isNotEmpty().isEqualTo(rotationEntries(compiled, today));
    }

    List<List<List<Long>>> schedule = new ArrayList<>();
    for (String cred : creds) {
      List<List<Long>> days = new ArrayList<>();
      for (int d = 0; d < DAYS; d++) {
        LocalDate day = firstDay.plusDays(d);
        JsonArray entries = rotationEntries(playlist(runtime, cred, day.atTime(12, 0).atZone(SHANGHAI).toInstant()),
            day.toString());
        List<Long> ids = new ArrayList<>();
        for (int seq = 0; seq < entries.size(); seq++) {
          JsonObject e = entries.getJsonObject(seq);
          // Plain checks, not AssertJ: this runs hundreds of thousands of times.
          if (e.getInteger("seq") != seq || !LIBRARY.equals(e.getString("library"))) {
            fail("screen %s on %s: entry %d is %s", cred.substring(0, cred.indexOf('.')), day, seq, e.encode());
          }
          ids.add(e.getLong("item_id"));
        }
        days.add(ids);
      }
      schedule.add(days);
    }
    return schedule;
  }

  static JsonObject playlist(LedRuntime runtime, String cred, Instant at) {
    return new JsonObject(runtime.playlist(runtime.screen(LedClient.idOf(cred)), at).json);
  }

  /** The playlist's rotation entries for one local date, in playlist order. */
  static JsonArray rotationEntries(JsonObject playlist, String date) {
    JsonArray out = new JsonArray();
    for (Object o : playlist.getJsonArray("items")) {
      JsonObject e = (JsonObject) o;
      if ("rotation".equals(e.getString("kind")) && date.equals(e.getString("date"))) {
        out.add(e);
      }
    }
    return out;
  }

  static void assertRotation(List<List<List<Long>>> schedule, int perDay, int daysToCover) {
    Set<Long> library = new HashSet<>();
    for (Row r : Http.await(server.pool().preparedQuery("SELECT id FROM led_item WHERE library_id = $1 AND deleted_at IS NULL")
        .execute(Tuple.of(firstImport.getLong("library_id"))))) {
      library.add(r.getLong(0));
    }
    assertThat(library).hasSize(RULES);
    Set<Long> fleetSeen = new HashSet<>();
    int coveredOnDay = -1;
    List<String> repeatsWithinADay = new ArrayList<>();
    List<String> repeatsWhileUnseen = new ArrayList<>();
    int[] repeatedRules = new int[1];
    for (int d = 0; d < DAYS; d++) {
      for (int s = 0; s < SCREENS; s++) {
        List<Long> today = schedule.get(s).get(d);
        // Plain checks in the loop: AssertJ's containsAll scans the library for each id.
        if (today.size() != perDay || !library.containsAll(today)) {
          fail("screen %d day %d: %d rules, expected %d from the library: %s", s, d, today.size(), perDay, today);
        }
        if (new HashSet<>(today).size() != today.size()) {
          repeatsWithinADay.add("screen " + s + " day " + d);
        }
        fleetSeen.addAll(today);
      }
      if (coveredOnDay < 0 && fleetSeen.size() == RULES) {
        coveredOnDay = d;
      }
    }
    for (int s = 0; s < SCREENS; s++) {
      Set<Long> seen = new HashSet<>();
      for (int d = 0; d < DAYS; d++) {
        Set<Long> today = new HashSet<>(schedule.get(s).get(d));
        int unseenBefore = RULES - seen.size();
        Set<Long> repeated = new HashSet<>(today);
        repeated.retainAll(seen);
        // A repeat is fair only on a day that also gives the screen every rule it has not had yet.
        if (!repeated.isEmpty() && today.size() - repeated.size() < unseenBefore) {
          repeatedRules[0] += repeated.size();
          repeatsWhileUnseen.add("screen " + s + " day " + d + ": " + repeated.size() + " of " + today.size()
              + " rules seen before, " + unseenBefore + " never seen");
        }
        seen.addAll(today);
      }
    }
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(fleetSeen).as("rules scheduled across the fleet in %d days", DAYS).hasSize(RULES);
    soft.assertThat(coveredOnDay + 1).as("days until every rule was scheduled").isBetween(1, daysToCover);
    // Counts with a few examples: listing thousands of screen-days would bury the message.
    soft.assertThat(repeatsWithinADay.size()).as("screen-days with a rule twice, e.g. %s",
        repeatsWithinADay.stream().limit(3).toList()).isZero();
    soft.assertThat(repeatsWhileUnseen.size()).as("screen-days (of %d) repeating rules (%d in all) while the screen had "
        + "unseen rules, e.g. %s", SCREENS * DAYS, repeatedRules[0], repeatsWhileUnseen.stream().limit(3).toList()).isZero();
    soft.assertAll();
  }
}
