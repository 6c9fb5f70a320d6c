package org.qingfeng.led;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When an item may show: its validity window, dayparts and weekdays, resolved in a screen's
 * time zone into concrete instants. Pure: the caller passes the range of interest.
 */
public final class Schedule {
  /** Bit (1 << isoDayOfWeek) for each allowed weekday; 0 means every day. */
  public final int weekdayMask;
  public final List<Daypart> dayparts;
  public final Instant validFrom;
  public final Instant validUntil;

  public Schedule(List<Daypart> dayparts, int weekdayMask, Instant validFrom, Instant validUntil) {
    this.dayparts = List.copyOf(dayparts);
    this.weekdayMask = weekdayMask;
    this.validFrom = validFrom;
    this.validUntil = validUntil;
  }

  public static Schedule always() {
    return new Schedule(List.of(), 0, null, null);
  }

  public boolean allowsWeekday(int isoDay) {
    return weekdayMask == 0 || (weekdayMask & (1 << isoDay)) != 0;
  }

  /** The intervals [from, until) (epoch seconds) within [rangeFrom, rangeUntil), merged and in order. */
  public List<long[]> windows(ZoneId zone, Instant rangeFrom, Instant rangeUntil) {
    long lo = Math.max(rangeFrom.getEpochSecond(), validFrom == null ? Long.MIN_VALUE : validFrom.getEpochSecond());
    long hi = Math.min(rangeUntil.getEpochSecond(), validUntil == null ? Long.MAX_VALUE : validUntil.getEpochSecond());
    List<long[]> out = new ArrayList<>();
    if (lo >= hi) {
      return out;
    }
    if (dayparts.isEmpty() && weekdayMask == 0) {
      out.add(new long[] {lo, hi});
      return out;
    }
    List<Daypart> parts = dayparts.isEmpty() ? List.of(Daypart.parse("00:00-24:00")) : dayparts;
    // Start a day early: a daypart that began yesterday evening may still run after midnight.
    LocalDate day = Instant.ofEpochSecond(lo).atZone(zone).toLocalDate().minusDays(1);
    LocalDate last = Instant.ofEpochSecond(hi).atZone(zone).toLocalDate();
    for (; !day.isAfter(last); day = day.plusDays(1)) {
      if (!allowsWeekday(day.getDayOfWeek().getValue())) {
        continue;
      }
      for (Daypart p : parts) {
        // Local clock times (LocalDateTime arithmetic, then the zone): right on DST change days too.
        long s = day.atStartOfDay().plusMinutes(p.startMinute).atZone(zone).toEpochSecond();
        long e = day.atStartOfDay().plusMinutes(p.endOffsetMinutes()).atZone(zone).toEpochSecond();
        s = Math.max(s, lo);
        e = Math.min(e, hi);
        if (s < e) {
          out.add(new long[] {s, e});
        }
      }
    }
    return merge(out);
  }

  /** Whether the item may show at this instant. */
  public boolean activeAt(ZoneId zone, Instant t) {
    for (long[] w : windows(zone, t, t.plusSeconds(1))) {
      if (w[0] <= t.getEpochSecond() && t.getEpochSecond() < w[1]) {
        return true;
      }
    }
    return false;
  }

  static List<long[]> merge(List<long[]> in) {
    in.sort(Comparator.comparingLong(w -> w[0]));
    List<long[]> out = new ArrayList<>();
    for (long[] w : in) {
      long[] prev = out.isEmpty() ? null : out.get(out.size() - 1);
      if (prev != null && w[0] <= prev[1]) {
        prev[1] = Math.max(prev[1], w[1]);
      } else {
        out.add(new long[] {w[0], w[1]});
      }
    }
    return out;
  }
}
