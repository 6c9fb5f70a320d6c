package org.qingfeng.contacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One batch of valid import rows, merged by E.164 number (Postgres refuses an upsert that
 * touches the same row twice in one statement). A later row for the same number overwrites
 * the fields it fills and adds its tags.
 */
final class ImportBatch {
  /** Separates tags inside one text value on the way to Postgres (split again there). */
  static final char TAG_SEPARATOR = '\u001F';

  static final class Row {
    final String phone;
    String name;
    String unit;
    String township;
    final LinkedHashSet<String> tags;

    Row(String phone, String name, String unit, String township, List<String> tags) {
      this.phone = phone;
      this.name = name;
      this.unit = unit;
      this.township = township;
      this.tags = new LinkedHashSet<>(tags);
    }
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private int merged;

  /** Adds a row; returns false when it merged into an earlier row of this batch. */
  boolean add(Row row) {
    Row earlier = rows.putIfAbsent(row.phone, row);
    if (earlier == null) {
      return true;
    }
    if (!row.name.isEmpty()) {
      earlier.name = row.name;
    }
    if (!row.unit.isEmpty()) {
      earlier.unit = row.unit;
    }
    if (!row.township.isEmpty()) {
      earlier.township = row.township;
    }
    earlier.tags.addAll(row.tags);
    merged++;
    return false;
  }

  int size() {
    return rows.size();
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Rows merged into an earlier row of this batch. */
  int merged() {
    return merged;
  }

  /** Column arrays for {@code unnest}: phone, name, unit, township, tags (joined by {@link #TAG_SEPARATOR}). */
  String[][] columns() {
    int n = rows.size();
    String[] phone = new String[n];
    String[] name = new String[n];
    String[] unit = new String[n];
    String[] township = new String[n];
    String[] tags = new String[n];
    int i = 0;
    for (Row r : rows.values()) {
      phone[i] = r.phone;
      name[i] = r.name;
      unit[i] = r.unit;
      township[i] = r.township;
      tags[i] = String.join(String.valueOf(TAG_SEPARATOR), new ArrayList<>(r.tags));
      i++;
    }
    return new String[][] {phone, name, unit, township, tags};
  }
}
