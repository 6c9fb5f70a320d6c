package org.qingfeng.contacts;

import java.util.ArrayList;
import java.util.List;

/** Turns one CSV record into a contact row with an E.164 number, or a rejection with a reason. */
final class ImportRows {
  static final int MAX_TEXT = 200;
  static final int MAX_TAG = 64;
  static final int MAX_TAGS = 32;

  private final ImportColumns columns;
  private final PhoneNumbers numbers;

  ImportRows(ImportColumns columns, PhoneNumbers numbers) {
    this.columns = columns;
    this.numbers = numbers;
  }

  /** The row, or null after telling the report why the record was rejected. */
  ImportBatch.Row toRow(List<String> fields, long line, ImportReport report) {
    String rawPhone = get(fields, columns.phone);
    PhoneNumbers.Result phone = numbers.normalize(rawPhone);
    if (!phone.valid()) {
      report.reject(line, phone.reason(), rawPhone);
      return null;
    }
    String name = get(fields, columns.name);
    String unit = get(fields, columns.unit);
    String township = get(fields, columns.township);
    String tooLong = name.length() > MAX_TEXT ? "name" : unit.length() > MAX_TEXT ? "unit"
        : township.length() > MAX_TEXT ? "township" : null;
    if (tooLong != null) {
      report.reject(line, "the " + tooLong + " is longer than " + MAX_TEXT + " characters", rawPhone);
      return null;
    }
    List<String> tags = splitTags(get(fields, columns.tags));
    for (String t : tags) {
      if (t.length() > MAX_TAG) {
        report.reject(line, "a tag is longer than " + MAX_TAG + " characters", rawPhone);
        return null;
      }
    }
    if (tags.size() > MAX_TAGS) {
      report.reject(line, "more than " + MAX_TAGS + " tags", rawPhone);
      return null;
    }
    return new ImportBatch.Row(phone.e164(), name, unit, township, tags);
  }

  /** Tags are separated by ';' (or the full-width '；' Chinese input methods type); blanks and repeats drop out. */
  static List<String> splitTags(String value) {
    List<String> tags = new ArrayList<>();
    if (value.isEmpty()) {
      return tags;
    }
    int start = 0;
    for (int i = 0; i <= value.length(); i++) {
      if (i == value.length() || value.charAt(i) == ';' || value.charAt(i) == '；') {
        String t = clean(value.substring(start, i));
        if (!t.isEmpty() && !tags.contains(t)) {
          tags.add(t);
        }
        start = i + 1;
      }
    }
    return tags;
  }

  private static String get(List<String> fields, int index) {
    return index < 0 || index >= fields.size() ? "" : clean(fields.get(index));
  }

  /**
   * Trims and turns control characters into spaces: a spreadsheet cell may carry a line break
   * or a tab, but these fields end up inside one-line SMS text.
   */
  static String clean(String s) {
    String t = s.strip();
    for (int i = 0; i < t.length(); i++) {
      if (Character.isISOControl(t.charAt(i))) {
        StringBuilder b = new StringBuilder(t.length());
        t.chars().forEach(c -> b.append(Character.isISOControl(c) ? ' ' : (char) c));
        return b.toString().replaceAll(" {2,}", " ").strip();
      }
    }
    return t;
  }
}
