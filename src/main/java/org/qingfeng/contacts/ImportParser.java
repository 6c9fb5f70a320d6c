package org.qingfeng.contacts;

import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.util.List;
import java.util.function.Consumer;
import org.qingfeng.http.Problem;

/**
 * The parsing half of a CSV import, without I/O: bytes are decoded (UTF-8 with or without BOM,
 * or GB18030, detected or forced), split into records, the header read, and each data record
 * turned into a row (handed on) or a rejection (counted in the report with its line). Every
 * refusal of the whole file is a {@link Problem}: 422 naming the line, or 413 for too many rows.
 */
final class ImportParser {
  private final CsvDecoder decoder;
  private final boolean charsetForced;
  private final CsvReader csv;
  private final CsvReader.Sink sink = this::onRecord;
  private final PhoneNumbers numbers;
  private final int maxRows;
  private final ImportReport report;
  private final Consumer<ImportBatch.Row> accepted;
  private ImportRows rows;

  ImportParser(Charset forced, PhoneNumbers numbers, int maxRows, int maxRecordChars, ImportReport report,
      Consumer<ImportBatch.Row> accepted) {
    this.decoder = new CsvDecoder(forced);
    this.charsetForced = forced != null;
    this.csv = new CsvReader(maxRecordChars);
    this.numbers = numbers;
    this.maxRows = maxRows;
    this.report = report;
    this.accepted = accepted;
  }

  void feed(byte[] bytes) {
    feed(decoded(bytes, false));
  }

  /** After the last byte: the last record, and the checks that need the whole file. */
  void finish() {
    feed(decoded(null, true));
    try {
      csv.finish(sink);
    } catch (CsvReader.CsvException e) {
      throw Problem.unprocessable("line " + e.line() + ": " + e.getMessage() + "; nothing was imported");
    }
    if (rows == null) {
      throw Problem.unprocessable("the file is empty; a header row (name, phone, unit, township, tags) "
          + "and at least one data row are expected");
    }
    if (report.rows == 0) {
      throw Problem.unprocessable("the file has a header row but no data rows; nothing was imported");
    }
  }

  /** The charset the bytes were read in (US-ASCII when nothing told them apart). */
  String charsetName() {
    return decoder.charset() == null ? "US-ASCII" : decoder.charset().name();
  }

  private CharBuffer decoded(byte[] input, boolean last) {
    try {
      return last ? decoder.finish() : decoder.decode(input);
    } catch (CsvDecoder.MalformedException e) {
      feed(e.decodedBefore());
      throw Problem.unprocessable("line " + csv.line() + ": the bytes are not valid " + e.charset().name()
          + (charsetForced ? "" : " (detected from the start of the file; does it mix encodings?)")
          + "; nothing was imported. Save the file as UTF-8, or name its charset with ?charset=gb18030 or ?charset=utf-8");
    }
  }

  private void feed(CharBuffer chars) {
    try {
      csv.feed(chars, sink);
    } catch (CsvReader.CsvException e) {
      throw Problem.unprocessable("line " + e.line() + ": " + e.getMessage() + "; nothing was imported");
    }
  }

  private void onRecord(List<String> fields, long line) {
    if (rows == null) {
      rows = new ImportRows(ImportColumns.fromHeader(fields), numbers);
      return;
    }
    if (++report.rows > maxRows) {
      throw new Problem(413, "Content too large", "the file has more than " + maxRows
          + " data rows (contacts.import-max-rows); nothing was imported");
    }
    ImportBatch.Row row = rows.toRow(fields, line, report);
    if (row != null) {
      accepted.accept(row);
    }
  }
}
