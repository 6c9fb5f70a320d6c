package org.qingfeng.campaign;

import org.qingfeng.sms.PhoneMask;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.encoding.SmsTextException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One audience page turned into ledger columns: opt-outs, capped and invalid numbers are left
 * out and counted; every other contact gets its rendered text and part count. Column arrays
 * are ready to bind to the unnest insert.
 */
final class ExpandBatch {
  private static final Logger LOG = LoggerFactory.getLogger(ExpandBatch.class);

  final int matched;
  final long last;
  int size;
  int optedOut;
  int invalid;
  int capped;
  final Long[] contactIds;
  final String[] phones;
  final String[] texts;
  final Integer[] parts;

  private ExpandBatch(int matched, long cursor) {
    this.matched = matched;
    this.last = cursor;
    contactIds = new Long[matched];
    phones = new String[matched];
    texts = new String[matched];
    parts = new Integer[matched];
  }

  /** Part counts by text: a literal campaign renders the same text for everyone, encoded once. */
  static final class PartsCache {
    private final SmsEncoder encoder;
    private String lastText;
    private int lastParts;

    PartsCache(SmsEncoder encoder) {
      this.encoder = encoder;
    }

    int parts(String text) throws SmsTextException {
      if (!text.equals(lastText)) {
        lastParts = encoder.encode(text, 0).parts();
        lastText = text;
      }
      return lastParts;
    }
  }

  static ExpandBatch of(long campaignId, RowSet<Row> rows, long cursor, MessageRenderer.ContactText text,
      PartsCache encoder, int frequencyCap) {
    long last = cursor;
    for (Row r : rows) {
      last = r.getLong(0);
    }
    ExpandBatch b = new ExpandBatch(rows.size(), last);
    for (Row r : rows) {
      long id = r.getLong(0);
      String phone = r.getString(1);
      if (r.getBoolean(5)) {
        b.optedOut++;
      } else if (frequencyCap > 0 && r.getInteger(6) >= frequencyCap) {
        b.capped++;
      } else if (!Phones.validE164(phone)) {
        b.invalid++;
      } else {
        b.add(campaignId, id, phone, r, text, encoder);
      }
    }
    return b;
  }

  private void add(long campaignId, long id, String phone, Row r, MessageRenderer.ContactText text, PartsCache encoder) {
    String body;
    int count;
    try {
      body = text.render(new AudienceContact(id, phone, r.getString(2), r.getString(3), r.getString(4)));
      count = encoder.parts(body);
    } catch (SmsTextException | RuntimeException e) {
      LOG.warn("campaign {}: no text for contact {} ({}): {}", campaignId, id, PhoneMask.mask(phone), e.getMessage());
      invalid++;
      return;
    }
    contactIds[size] = id;
    phones[size] = phone;
    texts[size] = body;
    parts[size] = count;
    size++;
  }

  <T> T[] trimmed(T[] column) {
    return size == column.length ? column : java.util.Arrays.copyOf(column, size);
  }
}
