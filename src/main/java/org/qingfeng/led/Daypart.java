package org.qingfeng.led;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.qingfeng.http.Problem;

/**
 * A daily time range in a screen's local time, "HH:MM-HH:MM". An end at or before the start
 * runs across midnight ("22:00-02:00" is 22:00 to 02:00 the next day); "24:00" is the end of
 * the day. The range belongs to the weekday on which it starts.
 */
public final class Daypart {
  private static final Pattern FORMAT = Pattern.compile("([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])");
  public final int startMinute;
  public final int endMinute;

  private Daypart(int startMinute, int endMinute) {
    this.startMinute = startMinute;
    this.endMinute = endMinute;
  }

  /** Parses or answers 422 naming the bad value. */
  public static Daypart parse(String s) {
    Matcher m = s == null ? null : FORMAT.matcher(s.trim());
    if (m == null || !m.matches()) {
      throw Problem.unprocessable("daypart '" + s + "' is not HH:MM-HH:MM (00:00 to 24:00)");
    }
    int start = Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
    int end = Integer.parseInt(m.group(3)) * 60 + Integer.parseInt(m.group(4));
    if (end > 24 * 60) {
      throw Problem.unprocessable("daypart '" + s + "' ends after 24:00");
    }
    if (start == end % (24 * 60) && !(start == 0 && end == 24 * 60)) {
      throw Problem.unprocessable("daypart '" + s + "' is empty: use 00:00-24:00 for the whole day");
    }
    return new Daypart(start, end);
  }

  public static List<Daypart> parseAll(List<String> specs) {
    List<Daypart> out = new ArrayList<>();
    for (String s : specs) {
      out.add(parse(s));
    }
    return out;
  }

  public boolean crossesMidnight() {
    return endMinute <= startMinute;
  }

  /** Minutes from the start of its day to its end (more than a day's minutes when crossing midnight). */
  public int endOffsetMinutes() {
    return crossesMidnight() ? endMinute + 24 * 60 : endMinute;
  }

  public int lengthSeconds() {
    return (endOffsetMinutes() - startMinute) * 60;
  }

  @Override
  public String toString() {
    return String.format("%02d:%02d-%02d:%02d", startMinute / 60, startMinute % 60, endMinute / 60, endMinute % 60);
  }
}
