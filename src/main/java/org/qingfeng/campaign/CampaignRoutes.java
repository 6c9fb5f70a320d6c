package org.qingfeng.campaign;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.qingfeng.auth.Principal;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.http.JsonBody;
import org.qingfeng.http.Problem;

/** /api/v1/campaigns: create and edit drafts, the approval lifecycle, test sends, and reads with progress. */
public final class CampaignRoutes {
  private final CampaignService service;
  private final CampaignStore store;
  private final CampaignSpec.Rules rules;

  public CampaignRoutes(CampaignService service, CampaignStore store, CampaignSpec.Rules rules) {
    this.service = service;
    this.store = store;
    this.rules = rules;
  }

  public void mount(Router api) {
    api.post("/campaigns").handler(RoleGuard.require(Role.OPERATOR)).handler(this::create);
    api.get("/campaigns").handler(RoleGuard.anyRole()).handler(this::list);
    api.get("/campaigns/:id").handler(RoleGuard.anyRole()).handler(this::get);
    api.put("/campaigns/:id").handler(RoleGuard.require(Role.OPERATOR)).handler(this::edit);
    action(api, "submit", Role.OPERATOR, service::submit);
    action(api, "approve", Role.APPROVER, service::approve);
    action(api, "pause", Role.OPERATOR, service::pause);
    action(api, "resume", Role.OPERATOR, service::resume);
    action(api, "cancel", Role.OPERATOR, service::cancel);
    api.post("/campaigns/:id/reject").handler(RoleGuard.require(Role.APPROVER)).handler(this::reject);
    api.post("/campaigns/:id/test-send").handler(RoleGuard.require(Role.OPERATOR)).handler(this::testSend);
  }

  private void action(Router api, String name, Role role, BiFunction<Long, Actor, Future<Campaign>> op) {
    api.post("/campaigns/:id/" + name).handler(RoleGuard.require(role))
        .handler(ctx -> op.apply(id(ctx), Actor.of(Principal.of(ctx))).onSuccess(c -> ctx.json(c.toJson())).onFailure(ctx::fail));
  }

  private void create(RoutingContext ctx) {
    CampaignSpec spec = CampaignSpec.parse(JsonBody.object(ctx), rules);
    service.create(spec, Actor.of(Principal.of(ctx)))
        .onSuccess(c -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
            .putHeader("Location", "/api/v1/campaigns/" + c.id).end(c.toJson().encode()))
        .onFailure(ctx::fail);
  }

  private void edit(RoutingContext ctx) {
    long id = id(ctx);
    CampaignSpec spec = CampaignSpec.parse(JsonBody.object(ctx), rules);
    service.edit(id, spec, Actor.of(Principal.of(ctx))).onSuccess(c -> ctx.json(c.toJson())).onFailure(ctx::fail);
  }

  private void reject(RoutingContext ctx) {
    long id = id(ctx);
    String reason = null;
    if (ctx.body() != null && ctx.body().length() > 0) {
      Object r = JsonBody.object(ctx, "reason").getValue("reason");
      if (r != null && !(r instanceof String && ((String) r).length() <= 1000)) {
        throw Problem.unprocessable("'reason' must be a string of at most 1000 characters");
      }
      reason = (String) r;
    }
    service.reject(id, Actor.of(Principal.of(ctx)), reason).onSuccess(c -> ctx.json(c.toJson())).onFailure(ctx::fail);
  }

  private void testSend(RoutingContext ctx) {
    long id = id(ctx);
    Object v = JsonBody.object(ctx, "phones").getValue("phones");
    if (!(v instanceof JsonArray)) {
      throw Problem.unprocessable("'phones' must be an array of E.164 numbers");
    }
    List<String> phones = new ArrayList<>();
    for (Object p : (JsonArray) v) {
      if (!(p instanceof String)) {
        throw Problem.unprocessable("'phones' must be an array of E.164 numbers");
      }
      phones.add(((String) p).trim());
    }
    service.testSend(id, phones, Actor.of(Principal.of(ctx))).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    service.details(id(ctx)).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    String statusParam = ctx.queryParams().get("status");
    CampaignStatus status = null;
    if (statusParam != null && !statusParam.isEmpty()) {
      status = CampaignStatus.parseOrNull(statusParam);
      if (status == null) {
        throw Problem.badRequest("query parameter 'status' is not a campaign status");
      }
    }
    Long cursor = Query.optionalLong(ctx, "cursor");
    int limit = Query.limit(ctx);
    store.page(status, cursor, limit).onSuccess(items -> {
      JsonArray out = new JsonArray();
      items.stream().limit(limit).forEach(c -> out.add(c.toJson()));
      String next = items.size() > limit ? Long.toString(items.get(limit - 1).id) : null;
      ctx.json(new JsonObject().put("items", out).put("next_cursor", next));
    }).onFailure(ctx::fail);
  }

  static long id(RoutingContext ctx) {
    String s = ctx.pathParam("id");
    try {
      long id = Long.parseLong(s);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw Problem.notFound("no campaign with id '" + s + "'");
  }
}
