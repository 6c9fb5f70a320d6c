package org.qingfeng.receipts;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The seam to the campaign ledger for the CSV export: who a message went to. The receipts domain
 * owns outcomes, not recipients; the ledger (table {@code message}) owns phone numbers.
 */
public interface RecipientDirectory {
  /** Phone numbers (E.164) of those of these message ids the ledger knows; others are absent. */
  Future<Map<String, String>> phones(List<String> messageIds);
}
