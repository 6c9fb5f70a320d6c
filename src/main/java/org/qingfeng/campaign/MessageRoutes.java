package org.qingfeng.campaign;

import org.qingfeng.sms.PhoneMask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Set;
import org.qingfeng.auth.Principal;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.http.Problem;

/** GET /api/v1/messages: the ledger, filtered by campaign, status and phone, in id order with a cursor. Viewers see masked numbers. */
public final class MessageRoutes {
  private static final Set<String> STATUSES = Set.of("queued", "submitting", "submitted", "failed", "expired", "cancelled");
  private final LedgerStore ledger;

  public MessageRoutes(LedgerStore ledger) {
    this.ledger = ledger;
  }

  public void mount(Router api) {
    api.get("/messages").handler(RoleGuard.anyRole()).handler(this::page);
  }

  private void page(RoutingContext ctx) {
    Long campaign = Query.optionalLong(ctx, "campaign");
    String status = ctx.queryParams().get("status");
    if (status != null && !status.isEmpty() && !STATUSES.contains(status)) {
      throw Problem.badRequest("query parameter 'status' must be one of " + String.join(", ", STATUSES));
    }
    String phone = ctx.queryParams().get("phone");
    if (phone != null && !phone.isEmpty() && !phone.matches("\\+[1-9][0-9]{6,14}")) {
      throw Problem.badRequest("query parameter 'phone' must be an E.164 number such as +8613812345678");
    }
    Long cursor = Query.optionalLong(ctx, "cursor");
    int limit = Query.limit(ctx);
    boolean mask = Principal.of(ctx).role() == Role.VIEWER;
    ledger.page(campaign, empty(status), empty(phone), cursor, limit).onSuccess(rows -> {
      JsonArray items = new JsonArray();
      Long next = null;
      int n = 0;
      for (Row r : rows) {
        if (n++ == limit) {
          next = items.getJsonObject(items.size() - 1).getLong("id");
          break;
        }
        String[] smsc = r.getArrayOfStrings("smsc_ids");
        items.add(new JsonObject().put("id", r.getLong("id")).put("campaign_id", r.getLong("campaign_id"))
            .put("contact_id", r.getLong("contact_id"))
            .put("phone", mask ? PhoneMask.mask(r.getString("phone")) : r.getString("phone"))
            .put("text", r.getString("text")).put("parts", r.getInteger("parts")).put("status", r.getString("status"))
            .put("attempts", r.getInteger("attempts")).put("outcome_unknown", r.getInteger("outcome_unknown"))
            .put("smsc_ids", smsc == null ? null : new JsonArray(Arrays.asList(smsc))).put("error", r.getString("error"))
            .put("created_at", iso(r.getOffsetDateTime("created_at"))).put("claimed_at", iso(r.getOffsetDateTime("claimed_at")))
            .put("submitted_at", iso(r.getOffsetDateTime("submitted_at")))
            .put("updated_at", iso(r.getOffsetDateTime("updated_at"))));
      }
      ctx.json(new JsonObject().put("items", items).put("next_cursor", next == null ? null : Long.toString(next)));
    }).onFailure(ctx::fail);
  }

  private static String empty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String iso(OffsetDateTime t) {
    return t == null ? null : t.toString();
  }
}
