package org.qingfeng.led;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.http.Problem;

/** Dayparts and weekdays resolve in the screen's own time zone, including ranges across midnight. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LedScheduleTest {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final ZoneId URUMQI = ZoneId.of("Asia/Urumqi");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final int FRIDAY = 5;

  static Schedule fridayNights() {
    return new Schedule(List.of(Daypart.parse("22:00-02:00")), 1 << FRIDAY, null, null);
  }

  static Instant at(ZoneId zone, String localDateTime) {
    return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), zone).toInstant();
  }

  @Test
  void aFridayNightDaypartRunsIntoSaturdayMorningAndBelongsToFriday() {
    Schedule s = fridayNights();
    // 2025-01-31 is a Friday.
    assertThat(s.activeAt(SHANGHAI, at(SHANGHAI, "2025-01-31T21:59:59"))).isFalse();
    assertThat(s.activeAt(SHANGHAI, at(SHANGHAI, "2025-01-31T22:00:00"))).isTrue();
    assertThat(s.activeAt(SHANGHAI, at(SHANGHAI, "2025-01-31T23:59:59"))).isTrue();
    assertThat(s.activeAt(SHANGHAI, at(SHANGHAI, "2025-02-01T00:00:00"))).isTrue();
    assertThat(s.activeAt(SHANGHAI, at(SHANGHAI, "2025-02-01T01:59:59"))).isTrue();
    assertThat(s.activeAt(SHANGHAI, at(SHANGHAI, "2025-02-01T02:00:00"))).isFalse();
    // Thursday night (starts on a Thursday) and Saturday night are not Friday nights.
    assertThat(s.activeAt(SHANGHAI, at(SHANGHAI, "2025-01-30T23:00:00"))).isFalse();
    assertThat(s.activeAt(SHANGHAI, at(SHANGHAI, "2025-01-31T01:00:00"))).isFalse();
    assertThat(s.activeAt(SHANGHAI, at(SHANGHAI, "2025-02-01T23:00:00"))).isFalse();
  }

  @Test
  void theSameInstantIsJudgedInEachScreensZone() {
    Schedule s = fridayNights();
    Instant t = at(SHANGHAI, "2025-01-31T23:30:00");
    assertThat(s.activeAt(SHANGHAI, t)).isTrue();
    // Urumqi is two hours behind: 21:30 there, not yet the daypart.
    assertThat(s.activeAt(URUMQI, t)).isFalse();
    assertThat(s.activeAt(URUMQI, at(URUMQI, "2025-02-01T01:30:00"))).isTrue();
    // Berlin: 16:30 on Friday.
    assertThat(s.activeAt(BERLIN, t)).isFalse();
  }

  @Test
  void windowsOverAWeekAreExactlyTheFridayNights() {
    Instant from = LocalDate.parse("2025-01-27").atStartOfDay(SHANGHAI).toInstant();
    Instant until = LocalDate.parse("2025-02-10").atStartOfDay(SHANGHAI).toInstant();
    List<long[]> ws = fridayNights().windows(SHANGHAI, from, until);
    assertThat(ws).hasSize(2);
    assertThat(Instant.ofEpochSecond(ws.get(0)[0])).isEqualTo(at(SHANGHAI, "2025-01-31T22:00:00"));
    assertThat(Instant.ofEpochSecond(ws.get(0)[1])).isEqualTo(at(SHANGHAI, "2025-02-01T02:00:00"));
    assertThat(Instant.ofEpochSecond(ws.get(1)[0])).isEqualTo(at(SHANGHAI, "2025-02-07T22:00:00"));
  }

  @Test
  void aRangeStartingAfterMidnightStillSeesYesterdaysNightPart() {
    Instant from = at(SHANGHAI, "2025-02-01T00:00:00");
    List<long[]> ws = fridayNights().windows(SHANGHAI, from, from.plusSeconds(86_400));
    assertThat(ws).hasSize(1);
    assertThat(Instant.ofEpochSecond(ws.get(0)[0])).isEqualTo(from);
    assertThat(Instant.ofEpochSecond(ws.get(0)[1])).isEqualTo(at(SHANGHAI, "2025-02-01T02:00:00"));
  }

  @Test
  void daylightSavingDaysKeepLocalClockTimes() {
    // Berlin moves from +01:00 to +02:00 on 2025-03-30: 07:00-09:00 local is still two hours.
    Schedule morning = new Schedule(List.of(Daypart.parse("07:00-09:00")), 0, null, null);
    Instant from = LocalDate.parse("2025-03-30").atStartOfDay(BERLIN).toInstant();
    List<long[]> ws = morning.windows(BERLIN, from, from.plusSeconds(86_400));
    assertThat(Instant.ofEpochSecond(ws.get(0)[0])).isEqualTo(Instant.parse("2025-03-30T05:00:00Z"));
    assertThat(ws.get(0)[1] - ws.get(0)[0]).isEqualTo(7200);
  }

  @Test
  void validityWindowAndDaypartsIntersect() {
    Schedule s = new Schedule(List.of(Daypart.parse("08:00-12:00"), Daypart.parse("11:00-13:00")), 0,
        at(SHANGHAI, "2025-01-28T09:00:00"), at(SHANGHAI, "2025-01-29T10:00:00"));
    List<long[]> ws = s.windows(SHANGHAI, at(SHANGHAI, "2025-01-27T00:00:00"), at(SHANGHAI, "2025-02-01T00:00:00"));
    assertThat(ws).hasSize(2);
    assertThat(Instant.ofEpochSecond(ws.get(0)[0])).isEqualTo(at(SHANGHAI, "2025-01-28T09:00:00"));
    assertThat(Instant.ofEpochSecond(ws.get(0)[1])).isEqualTo(at(SHANGHAI, "2025-01-28T13:00:00"));
    assertThat(Instant.ofEpochSecond(ws.get(1)[1])).isEqualTo(at(SHANGHAI, "2025-01-29T10:00:00"));
  }

  @Test
  void invalidDaypartsAreRefused() {
    for (String bad : new String[] {"25:00-26:00", "08:00-08:00", "8:00-9:00", "08:00", "08:60-09:00", "23:00-24:30", ""}) {
      assertThatThrownBy(() -> Daypart.parse(bad)).as(bad).isInstanceOf(Problem.class)
          .satisfies(e -> assertThat(((Problem) e).status()).isEqualTo(422));
    }
    assertThat(Daypart.parse("00:00-24:00").lengthSeconds()).isEqualTo(86_400);
    assertThat(Daypart.parse("22:00-02:00").lengthSeconds()).isEqualTo(4 * 3600);
  }
}
