package org.qingfeng.contacts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.qingfeng.http.Problem;

/**
 * Where the known columns are in an import's header row. Names are matched trimmed and
 * case-insensitively, in any order; the Chinese headings spreadsheets commonly use are
 * accepted too; other columns are ignored. A header without a phone column refuses the file.
 */
final class ImportColumns {
  static final String[] KNOWN = {"name", "phone", "unit", "township", "tags"};
  private static final Map<String, String> ALIASES = Map.ofEntries(
      Map.entry("name", "name"), Map.entry("姓名", "name"),
      Map.entry("phone", "phone"), Map.entry("mobile", "phone"), Map.entry("手机", "phone"),
      Map.entry("手机号", "phone"), Map.entry("手机号码", "phone"), Map.entry("电话", "phone"),
      Map.entry("unit", "unit"), Map.entry("单位", "unit"),
      Map.entry("township", "township"), Map.entry("乡镇", "township"), Map.entry("乡镇(街道)", "township"),
      Map.entry("tags", "tags"), Map.entry("标签", "tags"));

  final int name;
  final int phone;
  final int unit;
  final int township;
  final int tags;

  private ImportColumns(int[] idx) {
    this.name = idx[0];
    this.phone = idx[1];
    this.unit = idx[2];
    this.township = idx[3];
    this.tags = idx[4];
  }

  static ImportColumns fromHeader(List<String> header) {
    int[] idx = {-1, -1, -1, -1, -1};
    for (int i = 0; i < header.size(); i++) {
      String canonical = ALIASES.get(header.get(i).strip().toLowerCase(Locale.ROOT).replace('（', '(').replace('）', ')'));
      if (canonical == null) {
        continue;
      }
      int k = List.of(KNOWN).indexOf(canonical);
      if (idx[k] >= 0) {
        throw Problem.unprocessable("the header names the " + canonical + " column twice (columns "
            + (idx[k] + 1) + " and " + (i + 1) + "); nothing was imported", details(header));
      }
      idx[k] = i;
    }
    if (idx[1] < 0) {
      throw Problem.unprocessable("the header row has no phone column; the first row must name the columns "
          + "(name, phone, unit, township, tags); nothing was imported", details(header));
    }
    return new ImportColumns(idx);
  }

  private static JsonObject details(List<String> header) {
    JsonArray seen = new JsonArray();
    header.stream().limit(50).forEach(h -> seen.add(h.length() > 40 ? h.substring(0, 40) : h));
    return new JsonObject().put("header", seen).put("expected_columns", new JsonArray(List.of(KNOWN)));
  }
}
