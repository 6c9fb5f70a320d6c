package org.qingfeng.led;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HexFormat;
import org.qingfeng.http.Problem;

/** Display text rules shared by items, imports and alerts: NFC, trimmed, bounded, hashed. */
public final class LedText {
  private LedText() {
  }

  /** The text as stored, or a 422 naming the field (what: "text", "line 17", ...). */
  public static String clean(String raw, int maxChars, String what) {
    if (raw == null) {
      throw Problem.unprocessable("'" + what + "' is required");
    }
    String s = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
    if (s.isEmpty()) {
      throw Problem.unprocessable(what + " is empty");
    }
    int chars = s.codePointCount(0, s.length());
    if (chars > maxChars) {
      throw Problem.unprocessable(what + " has " + chars + " characters; at most " + maxChars + " are allowed");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n' || c == 0x7f || Character.isSurrogate(c) && !validSurrogate(s, i)) {
        throw Problem.unprocessable(what + " holds a control character or a broken surrogate at position " + i);
      }
    }
    return s;
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  /** Lower-case hex SHA-256 of the UTF-8 text: the content hash plays and reports refer to. */
  public static String hash(String text) {
    return HexFormat.of().formatHex(PlaylistCompiler.sha256(text.getBytes(StandardCharsets.UTF_8)));
  }
}
