package org.qingfeng.contacts;

import org.qingfeng.sms.PhoneMask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What an import did: counts, and the first rejections with line numbers and masked values. */
final class ImportReport {
  static final int MAX_REJECTIONS = 1000;

  long rows;
  long imported;
  long updated;
  long merged;
  long rejected;
  String charset;
  private final JsonArray rejections = new JsonArray();

  void reject(long line, String reason, String rawValue) {
    rejected++;
    if (rejections.size() < MAX_REJECTIONS) {
      String value = rawValue == null ? "" : rawValue.strip();
      if (value.length() > 32) {
        value = value.substring(0, 32);
      }
      rejections.add(new JsonObject().put("line", line).put("reason", reason).put("value", PhoneMask.mask(value)));
    }
  }

  void add(ContactStore.UpsertCounts counts, int mergedInBatch) {
    imported += counts.imported;
    updated += counts.updated;
    merged += counts.merged + mergedInBatch;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("rows", rows)
        .put("imported", imported)
        .put("updated", updated)
        .put("merged", merged)
        .put("rejected", rejected)
        .put("charset", charset)
        .put("rejections", rejections)
        .put("rejections_truncated", rejected > rejections.size());
  }
}
