package org.qingfeng.sms;

/**
 * Joins a message and its signature the way Chinese carriers expect: the signature
 * (e.g. 【余庆县纪委】) leads the text and counts toward its length.
 */
public final class SignedText {
  public static final int MAX_SIGNATURE_LENGTH = 32;

  private SignedText() {
  }

  public static String compose(String signature, String text) {
    String sig = signature == null ? "" : signature.strip();
    String body = text == null ? "" : text;
    if (sig.isEmpty() || body.startsWith(sig)) {
      return body;
    }
    return sig + body;
  }
}
