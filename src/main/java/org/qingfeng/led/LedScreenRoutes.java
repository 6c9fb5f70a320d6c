package org.qingfeng.led;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
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
    JsonObject b = JsonBody.object(ctx);
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
    Instant now = Instant.now();
    int grace = runtime.settings().offlineGraceS;
    store.countByStatus().compose(counts -> store.activeScreensSeen().map(rows -> {
      JsonArray offline = new JsonArray();
      int online = 0;
      for (Row r : rows) {
        long id = r.getLong("id");
        Long local = runtime.unflushedSeen(id);
        Instant db = LedStore.instant(r.getOffsetDateTime("last_seen_at"));
        Instant seen = local == null ? db : (db == null || local > db.toEpochMilli() ? Instant.ofEpochMilli(local) : db);
        if (Offline.isOffline(seen, r.getInteger("poll_interval_s"), grace, now)) {
          offline.add(new JsonObject().put("screen_id", id).put("name", r.getString("name"))
              .put("last_seen_at", seen == null ? null : seen.toString())
              .put("silent_s", seen == null ? null : (now.toEpochMilli() - seen.toEpochMilli()) / 1000));
        } else {
          online++;
        }
      }
      return new JsonObject().put("active", rows.size()).put("online", online).put("offline", offline.size())
          .put("pending", counts.getOrDefault("pending", 0L)).put("revoked", counts.getOrDefault("revoked", 0L))
          .put("long_polls_held_here", runtime.hub().size()).put("offline_screens", offline);
    })).onSuccess(body -> json(ctx, 200, body)).onFailure(ctx::fail);
  }
}
