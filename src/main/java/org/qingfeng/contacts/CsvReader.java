package org.qingfeng.contacts;

import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An incremental RFC 4180 reader: characters arrive in pieces of any size (a quoted field, a
 * CRLF or a doubled quote may be split between two pieces) and complete records come out.
 * Quoted fields may hold commas, doubled quotes and line breaks. LF, CRLF and a lone CR end a
 * record. Blank lines are skipped. Memory is bounded by {@code maxRecordChars}.
 */
public final class CsvReader {
  /** Receives each record; the list is reused, so copy what must outlive the call. */
  @FunctionalInterface
  public interface Sink {
    void record(List<String> fields, long line);
  }

  /** The input cannot be read as CSV; {@link #line()} is where the bad record starts. */
  public static final class CsvException extends RuntimeException {
    private final long line;

    CsvException(long line, String message) {
      super(message, null, false, false);
      this.line = line;
    }

    public long line() {
      return line;
    }
  }

  private final int maxRecordChars;
  private final List<String> fields = new ArrayList<>();
  private final StringBuilder field = new StringBuilder();
  private boolean inQuotes;
  private boolean quoteInQuotes;
  private boolean fieldQuoted;
  private boolean afterCr;
  private boolean recordOpen;
  private long line = 1;
  private long recordLine = 1;
  private int recordChars;

  public CsvReader(int maxRecordChars) {
    this.maxRecordChars = maxRecordChars;
  }

  /** The physical line (1-based) the reader is on. */
  public long line() {
    return line;
  }

  public void feed(CharBuffer in, Sink sink) {
    while (in.hasRemaining()) {
      char c = in.get();
      boolean wasCr = afterCr;
      afterCr = c == '\r';
      if (wasCr && c == '\n') {
        // Second half of a CRLF: the CR already ended the line (and the record, outside quotes).
        if (inQuotes && !quoteInQuotes) {
          append(c);
        }
        continue;
      }
      if (!recordOpen) {
        recordOpen = true;
        recordLine = line;
      }
      if (c == '\n' || c == '\r') {
        line++;
      }
      if (inQuotes) {
        if (quoteInQuotes) {
          quoteInQuotes = false;
          if (c == '"') {
            append('"');
            continue;
          }
          inQuotes = false; // that quote closed the field; c is read as outside quotes below
        } else if (c == '"') {
          quoteInQuotes = true;
          continue;
        } else {
          append(c);
          continue;
        }
      }
      switch (c) {
        case ',':
          endField();
          break;
        case '\n':
        case '\r':
          endRecord(sink);
          break;
        case '"':
          if (field.length() == 0 && !fieldQuoted) {
            inQuotes = true;
            fieldQuoted = true;
          } else {
            append(c); // a stray quote inside an unquoted field is kept as text
          }
          break;
        default:
          append(c);
      }
    }
  }

  /** End of input: emits a last record without a line break; refuses an unclosed quote. */
  public void finish(Sink sink) {
    if (inQuotes && !quoteInQuotes) {
      throw new CsvException(recordLine, "a quoted field opened on line " + recordLine + " is never closed");
    }
    inQuotes = false;
    quoteInQuotes = false;
    if (recordOpen) {
      endRecord(sink);
    }
  }

  private void append(char c) {
    if (++recordChars > maxRecordChars) {
      throw new CsvException(recordLine, "the record starting on line " + recordLine + " is longer than "
          + maxRecordChars + " characters (is a quote left open?)");
    }
    field.append(c);
  }

  private void endField() {
    fields.add(field.toString());
    field.setLength(0);
    fieldQuoted = false;
  }

  private void endRecord(Sink sink) {
    boolean blank = fields.isEmpty() && field.length() == 0 && !fieldQuoted;
    endField();
    if (!blank) {
      sink.record(fields, recordLine);
    }
    fields.clear();
    recordChars = 0;
    recordOpen = false;
  }
}
