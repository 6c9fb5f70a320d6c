package org.qingfeng.sms;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way phone numbers are masked, for logs, viewer responses and import rejections: the last four digits
 * and the leading part stay, the four digits before the last four become {@code ****}
 * ({@code 13812345678 -> 138****5678}, {@code +8613812345678 -> +86138****5678}).
 */
public final class PhoneMask {
  private static final Pattern DIGIT_RUNS = Pattern.compile("\\+?\\d{7,}");

  private PhoneMask() {
  }

  public static String mask(String value) {
    if (value == null) {
      return null;
    }
    String s = value.strip();
    int n = s.length();
    if (n == 0) {
      return s;
    }
    if (n < 8) {
      // Too short to keep a prefix and a suffix: keep at most the last two characters.
      int keep = Math.min(2, Math.max(0, n - 3));
      return "****" + s.substring(n - keep);
    }
    return s.substring(0, n - 8) + "****" + s.substring(n - 4);
  }

  /** Masks every run of seven or more digits (with an optional '+') inside free text, e.g. a request path. */
  public static String maskNumbersIn(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = DIGIT_RUNS.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    do {
      m.appendReplacement(out, Matcher.quoteReplacement(mask(m.group())));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
  }
}
