package org.qingfeng.contacts;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of an uploaded CSV into characters incrementally, with a
 * {@link CharsetDecoder} whose state (a multi-byte character split between two network
 * buffers) carries across calls. Without a forced charset it detects: ASCII passes through
 * undecided; at the first non-ASCII byte, up to {@value #DETECT_WINDOW} bytes are examined:
 * valid UTF-8 means UTF-8 (a BOM is valid UTF-8), anything else GB18030 (a superset of GBK
 * and GB2312, as Chinese spreadsheets export). A leading U+FEFF (BOM) is dropped. Bytes that
 * do not decode in the chosen charset fail the import (mixed encodings are not guessed at).
 */
public final class CsvDecoder {
  public static final Charset GB18030 = Charset.forName("GB18030");
  static final int DETECT_WINDOW = 4096;

  /** Bytes that are not valid in the chosen charset; {@link #decodedBefore()} holds the good text before them. */
  public static final class MalformedException extends RuntimeException {
    private final CharBuffer decodedBefore;
    private final Charset charset;

    MalformedException(Charset charset, CharBuffer decodedBefore) {
      super("bytes that are not valid " + charset.name(), null, false, false);
      this.charset = charset;
      this.decodedBefore = decodedBefore;
    }

    public CharBuffer decodedBefore() {
      return decodedBefore;
    }

    public Charset charset() {
      return charset;
    }
  }

  private CharsetDecoder decoder;
  private byte[] held = new byte[0];
  private int heldLength;
  private boolean started;

  /** @param forced the charset to use, or null to detect */
  public CsvDecoder(Charset forced) {
    if (forced != null) {
      decoder = newDecoder(forced);
    }
  }

  /** The charset in use, or null while only ASCII has been seen. */
  public Charset charset() {
    return decoder == null ? null : decoder.charset();
  }

  public CharBuffer decode(byte[] bytes) {
    if (decoder == null) {
      return undecided(bytes);
    }
    return run(bytes, false);
  }

  /** End of input: decodes what is held and refuses a truncated last character. */
  public CharBuffer finish() {
    if (decoder == null) {
      if (heldLength == 0) {
        return CharBuffer.allocate(0);
      }
      decide(true);
    }
    return run(new byte[0], true);
  }

  private CharBuffer undecided(byte[] bytes) {
    if (heldLength == 0) {
      int i = 0;
      while (i < bytes.length && bytes[i] >= 0) {
        i++;
      }
      char[] ascii = new char[i];
      for (int k = 0; k < i; k++) {
        ascii[k] = (char) bytes[k];
      }
      if (i == bytes.length) {
        return strip(CharBuffer.wrap(ascii));
      }
      hold(bytes, i, bytes.length - i);
      CharBuffer head = strip(CharBuffer.wrap(ascii));
      if (heldLength < DETECT_WINDOW) {
        return head;
      }
      decide(false);
      return concat(head, run(new byte[0], false));
    }
    hold(bytes, 0, bytes.length);
    if (heldLength < DETECT_WINDOW) {
      return CharBuffer.allocate(0);
    }
    decide(false);
    return run(new byte[0], false);
  }

  private void hold(byte[] bytes, int from, int length) {
    if (heldLength + length > held.length) {
      byte[] grown = new byte[Math.max(heldLength + length, held.length * 2)];
      System.arraycopy(held, 0, grown, 0, heldLength);
      held = grown;
    }
    System.arraycopy(bytes, from, held, heldLength, length);
    heldLength += length;
  }

  private void decide(boolean endOfInput) {
    CharsetDecoder probe = newDecoder(StandardCharsets.UTF_8);
    ByteBuffer in = ByteBuffer.wrap(held, 0, heldLength);
    CharBuffer out = CharBuffer.allocate(heldLength + 1);
    CoderResult r = probe.decode(in, out, endOfInput);
    if (!r.isError() && endOfInput) {
      r = probe.flush(out);
    }
    decoder = newDecoder(r.isError() ? GB18030 : StandardCharsets.UTF_8);
  }

  /** Decodes held bytes plus {@code bytes}; keeps an incomplete trailing character for the next call. */
  private CharBuffer run(byte[] bytes, boolean endOfInput) {
    ByteBuffer in;
    if (heldLength > 0) {
      hold(bytes, 0, bytes.length);
      in = ByteBuffer.wrap(held, 0, heldLength);
    } else {
      in = ByteBuffer.wrap(bytes);
    }
    CharBuffer out = CharBuffer.allocate((int) (in.remaining() * (double) decoder.maxCharsPerByte()) + 4);
    CoderResult r = decoder.decode(in, out, endOfInput);
    if (!r.isError() && endOfInput) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      out.flip();
      throw new MalformedException(decoder.charset(), strip(out));
    }
    int rest = in.remaining();
    if (rest > 0) {
      byte[] keep = new byte[rest];
      in.get(keep);
      held = keep.length <= held.length ? held : new byte[keep.length];
      System.arraycopy(keep, 0, held, 0, rest);
    }
    heldLength = rest;
    out.flip();
    return strip(out);
  }

  private CharBuffer strip(CharBuffer chars) {
    if (!started && chars.hasRemaining()) {
      started = true;
      if (chars.get(chars.position()) == '\uFEFF') {
        chars.position(chars.position() + 1);
      }
    }
    return chars;
  }

  private static CharBuffer concat(CharBuffer a, CharBuffer b) {
    CharBuffer out = CharBuffer.allocate(a.remaining() + b.remaining());
    out.put(a).put(b).flip();
    return out;
  }

  private static CharsetDecoder newDecoder(Charset charset) {
    return charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }
}
