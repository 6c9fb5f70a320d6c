package org.qingfeng.contacts;

import org.qingfeng.sms.PhoneMask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.http.JsonBody;
import org.qingfeng.http.Problem;

/** /api/v1/opt-outs: the numbers blasts skip. Anyone may list (viewers see masked numbers); operators add and remove. */
public final class OptOutRoutes {
  private final OptOutStore store;
  private final PhoneNumbers numbers;

  public OptOutRoutes(OptOutStore store, PhoneNumbers numbers) {
    this.store = store;
    this.numbers = numbers;
  }

  public void mount(Router api) {
    api.get("/opt-outs").handler(RoleGuard.anyRole()).handler(this::list);
    api.post("/opt-outs").handler(RoleGuard.require(Role.OPERATOR)).handler(this::add);
    api.delete("/opt-outs/:phone").handler(RoleGuard.require(Role.OPERATOR)).handler(this::remove);
  }

  /**
   * Keyset paging on the number for those who may see numbers; viewers get an offset cursor
   * ("@200"), since a number in the cursor would unmask it.
   */
  private void list(RoutingContext ctx) {
    String cursor = ctx.queryParams().get("cursor");
    int limit = Params.limit(ctx, 100, 1000);
    boolean mask = ContactRoutes.maskFor(ctx);
    String after = null;
    long offset = 0;
    if (cursor != null && !cursor.isBlank()) {
      if (cursor.startsWith("@")) {
        try {
          offset = Long.parseLong(cursor.substring(1));
        } catch (NumberFormatException e) {
          throw Problem.badRequest("query parameter 'cursor' is not a cursor this list gave out");
        }
      } else if (mask) {
        throw Problem.badRequest("query parameter 'cursor' is not a cursor this list gave out");
      } else {
        after = cursor.strip();
      }
    }
    long skipped = offset;
    store.page(after, offset, limit + 1).onSuccess(rows -> {
      JsonArray items = new JsonArray();
      rows.stream().limit(limit).forEach(r -> items.add(mask ? r.put("phone", PhoneMask.mask(r.getString("phone"))) : r));
      String next = null;
      if (rows.size() > limit) {
        next = mask ? "@" + (skipped + limit) : rows.get(limit - 1).getString("phone");
      }
      ctx.json(new JsonObject().put("items", items).put("next_cursor", next));
    }).onFailure(ctx::fail);
  }

  private void add(RoutingContext ctx) {
    JsonObject body = JsonBody.object(ctx, "phone", "reason");
    String raw = JsonBody.requiredString(body, "phone", 40);
    Object reason = body.getValue("reason");
    if (reason != null && !(reason instanceof String)) {
      throw Problem.unprocessable("'reason' must be a string");
    }
    String detail = reason == null ? null : ((String) reason).strip();
    if (detail != null && detail.length() > 500) {
      throw Problem.unprocessable("'reason' is longer than 500 characters");
    }
    PhoneNumbers.Result phone = numbers.normalize(raw);
    if (!phone.valid()) {
      throw Problem.unprocessable("'phone' " + phone.reason());
    }
    store.add(phone.e164(), OptOutStore.SOURCE_API, detail).onSuccess(added -> ctx.response()
        .setStatusCode(added ? 201 : 200)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("phone", phone.e164()).put("added", added).encode()))
        .onFailure(ctx::fail);
  }

  private void remove(RoutingContext ctx) {
    PhoneNumbers.Result phone = numbers.normalize(ctx.pathParam("phone"));
    if (!phone.valid()) {
      throw Problem.notFound("'" + PhoneMask.mask(ctx.pathParam("phone")) + "' is not a phone number on the list");
    }
    store.remove(phone.e164()).onSuccess(removed -> {
      if (removed) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.fail(Problem.notFound(PhoneMask.mask(phone.e164()) + " is not on the opt-out list"));
      }
    }).onFailure(ctx::fail);
  }
}
