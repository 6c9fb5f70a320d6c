package org.qingfeng.contacts;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether an inbound SMS asks to opt out. The text is NFKC-normalised (full-width
 * "ＴＤ" reads as "TD"), trimmed and upper-cased; it matches when it equals a keyword or starts
 * with one. A keyword ending in an ASCII letter or digit must then be followed by something
 * that is not one (space, punctuation, Chinese text, the end), so "T" and "TD" match "T",
 * "td 谢谢" or "TD。" but not "Thanks"; "退订" matches "退订谢谢".
 */
public final class OptOutKeywords {
  private final List<String> keywords;

  public OptOutKeywords(List<String> keywords) {
    List<String> normalized = new ArrayList<>();
    for (String k : keywords) {
      String n = normalize(k);
      if (!n.isEmpty()) {
        normalized.add(n);
      }
    }
    normalized.sort(Comparator.comparingInt(String::length).reversed());
    this.keywords = List.copyOf(normalized);
  }

  /** The keyword the text opts out with, or null. */
  public String match(String text) {
    if (text == null) {
      return null;
    }
    String t = normalize(text);
    for (String k : keywords) {
      if (!t.startsWith(k)) {
        continue;
      }
      if (t.length() == k.length() || !isAsciiAlnum(k.charAt(k.length() - 1)) || !isAsciiAlnum(t.charAt(k.length()))) {
        return k;
      }
    }
    return null;
  }

  private static String normalize(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFKC).strip().toUpperCase(Locale.ROOT);
  }

  private static boolean isAsciiAlnum(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
