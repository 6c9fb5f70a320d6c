package org.qingfeng.led;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Set;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.http.JsonBody;
import org.qingfeng.http.Problem;

/** Operator API for screens and groups: approve, rotate, revoke, regroup, list, and screen health. */
public final class LedScreenRoutes {
  private static final Set<String> GROUP_KINDS = Set.of("township", "corridor", "unit");
  private static final Set<String> STATUSES = Set.of("pending", "active", "revoked");
  private static final Set<String> PATCHABLE = Set.of("name", "time_zone", "poll_interval_s", "groups");
  private final LedStore store;
  private final LedRuntime runtime;

  public LedScreenRoutes(LedStore store, LedRuntime runtime) {
    this.store = store;
    this.runtime = runtime;
  }

  public void mount(Router api) {
    api.post("/led/groups").handler(RoleGuard.require(Role.OPERATOR)).handler(this::createGroup);
    api.get("/led/groups").handler(RoleGuard.anyRole()).handler(ctx -> store.listGroups()
        .onSuccess(a -> json(ctx, 200, new JsonObject().put("items", a))).onFailure(ctx::fail));
    api.get("/led/screens").handler(RoleGuard.anyRole()).handler(this::list);
    api.post("/led/screens/:id/approve").handler(RoleGuard.require(Role.ADMIN))
        .handler(ctx -> issueSecret(ctx, Set.of("pending")));
    api.post("/led/screens/:id/rotate-secret").handler(RoleGuard.require(Role.ADMIN))
        .handler(ctx -> issueSecret(ctx, Set.of("active")));
    api.post("/led/screens/:id/revoke").handler(RoleGuard.require(Role.ADMIN)).handler(this::revoke);
    api.patch("/led/screens/:id").handler(RoleGuard.require(Role.OPERATOR)).handler(this::patch);
    api.get("/led/health").handler(RoleGuard.anyRole()).handler(this::health);
  }

  static long id(RoutingContext ctx, String param) {
    try {
      long id = Long.parseLong(ctx.pathParam(param));
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw Problem.notFound("no such " + param.replace("id", "resource"));
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private void createGroup(RoutingContext ctx) {
    JsonObject b = JsonBody.object(ctx, "name", "kind");
    String name = JsonBody.requiredString(b, "name", 200);
    String kind = ItemInput.oneOf(b, "kind", GROUP_KINDS);
    if (kind == null) {
      throw Problem.unprocessable("'kind' is required: township, corridor or unit");
    }
    store.createGroup(name, kind)
        .onSuccess(id -> json(ctx, 201, new JsonObject().put("id", id).put("name", name).put("kind", kind)))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    String status = ctx.queryParams().get("status");
    if (status != null && !STATUSES.contains(status)) {
      throw Problem.badRequest("'status' must be pending, active or revoked");
    }
    String group = ctx.queryParams().get("group");
    Long groupId;
    try {
      groupId = group == null ? null : Long.valueOf(group);
    } catch (NumberFormatException e) {
      throw Problem.badRequest("'group' must be a group id");
    }
    store.listScreens(status, groupId).onSuccess(a -> json(ctx, 200, new JsonObject().put("items", a))).onFailure(ctx::fail);
  }

  /** Approve (pending → active) or rotate (active): a new secret, shown in this response only. */
  private void issueSecret(RoutingContext ctx, Set<String> from) {
    long id = id(ctx, "id");
    String secret = DeviceAuth.newSecret();
    store.setSecret(id, DeviceAuth.digest(secret), from)
        .compose(v -> runtime.refresh(Set.of("screens")))
        .onSuccess(v -> {
          ctx.response().putHeader("Cache-Control", "no-store");
          json(ctx, 200, new JsonObject().put("screen_id", id).put("status", "active").put("secret", secret)
              .put("authorization", "Bearer " + id + "." + secret));
        })
        .onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    long id = id(ctx, "id");
    store.revoke(id).compose(done -> done ? runtime.refresh(Set.of("screens")).map(true) : Future.succeededFuture(false))
        .onSuccess(done -> {
          if (done) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.fail(Problem.notFound("no screen " + id + " that is not already revoked"));
          }
        })
        .onFailure(ctx::fail);
  }

  private void patch(RoutingContext ctx) {
    long id = id(ctx, "id");
    JsonObject b = JsonBody.object(ctx);
    for (String k : b.fieldNames()) {
      if (!PATCHABLE.contains(k)) {
        throw Problem.unprocessable("unknown field '" + k + "' (allowed: name, time_zone, poll_interval_s, groups)");
      }
    }
    String name = b.containsKey("name") ? JsonBody.requiredString(b, "name", 200) : null;
    String zone = b.containsKey("time_zone") ? LedDeviceRoutes.zone(b.getValue("time_zone")) : null;
    Integer poll = ItemInput.integer(b, "poll_interval_s", 5, 3600);
    store.updateScreen(id, name, zone, poll, ItemInput.ids(b, "groups"))
        .compose(found -> found ? runtime.refresh(Set.of("screens")).map(true) : Future.succeededFuture(false))
        .onSuccess(found -> {
          if (found) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.fail(Problem.notFound("no screen " + id));
          }
        })
        .onFailure(ctx::fail);
  }

  /** Online/offline counts and the offline list: offline = not seen for 1.1 x poll interval + grace. */
  private void health(RoutingContext ctx) {
    new LedHealth(store, runtime).check(Instant.now(), Integer.MAX_VALUE)
        .onSuccess(body -> json(ctx, 200, body)).onFailure(ctx::fail);
  }
}
