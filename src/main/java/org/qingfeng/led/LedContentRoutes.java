package org.qingfeng.led;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.http.JsonBody;
import org.qingfeng.http.Problem;

/** Operator API for content items (versioned), rule-library import, libraries and rotation. */
public final class LedContentRoutes {
  /** The import path, registered with RouterAssembly.streamedBody: its body is streamed, not buffered. */
  public static final String IMPORT_PATH_REGEX = "/api/v1/led/items/import";
  private final LedContentStore store;
  private final LedRuntime runtime;
  private final RuleImporter importer;

  public LedContentRoutes(LedContentStore store, LedRuntime runtime, RuleImporter importer) {
    this.store = store;
    this.runtime = runtime;
    this.importer = importer;
  }

  public void mount(Router api) {
    api.post("/led/items/import").handler(RoleGuard.require(Role.OPERATOR)).handler(importer::handle);
    api.post("/led/items").handler(RoleGuard.require(Role.OPERATOR)).handler(this::create);
    api.get("/led/items").handler(RoleGuard.anyRole()).handler(this::list);
    api.get("/led/items/:id").handler(RoleGuard.anyRole()).handler(ctx -> store.item(LedScreenRoutes.id(ctx, "id"))
        .onSuccess(item -> {
          if (item == null) {
            ctx.fail(Problem.notFound("no such item"));
          } else {
            LedScreenRoutes.json(ctx, 200, item);
          }
        }).onFailure(ctx::fail));
    api.patch("/led/items/:id").handler(RoleGuard.require(Role.OPERATOR)).handler(this::patch);
    api.delete("/led/items/:id").handler(RoleGuard.require(Role.OPERATOR)).handler(ctx -> changed(ctx,
        store.retireItem(LedScreenRoutes.id(ctx, "id")), "no such live item"));
    api.get("/led/libraries").handler(RoleGuard.anyRole()).handler(ctx -> store.listLibraries()
        .onSuccess(a -> LedScreenRoutes.json(ctx, 200, new JsonObject().put("items", a))).onFailure(ctx::fail));
    api.post("/led/libraries/:id/assignments").handler(RoleGuard.require(Role.OPERATOR)).handler(this::assign);
    api.delete("/led/libraries/:id/assignments/:group").handler(RoleGuard.require(Role.OPERATOR)).handler(ctx -> changed(ctx,
        store.unassign(LedScreenRoutes.id(ctx, "id"), LedScreenRoutes.id(ctx, "group")), "no such assignment"));
  }

  private void create(RoutingContext ctx) {
    ItemInput in = ItemInput.forCreate(JsonBody.object(ctx), runtime.settings().textMaxChars);
    store.createItem(in).compose(id -> runtime.refresh(Set.of("content")).map(id))
        .onSuccess(id -> {
          ctx.response().putHeader("Location", "/api/v1/led/items/" + id);
          LedScreenRoutes.json(ctx, 201, new JsonObject().put("id", id).put("version", 1).put("content_hash", in.contentHash));
        })
        .onFailure(ctx::fail);
  }

  private void patch(RoutingContext ctx) {
    long id = LedScreenRoutes.id(ctx, "id");
    ItemInput in = ItemInput.parse(JsonBody.object(ctx), runtime.settings().textMaxChars);
    store.patchItem(id, in)
        .compose(found -> found ? runtime.refresh(Set.of("content")).compose(v -> store.item(id)) : Future.succeededFuture(null))
        .onSuccess(item -> {
          if (item == null) {
            ctx.fail(Problem.notFound("no such live item"));
          } else {
            LedScreenRoutes.json(ctx, 200, item);
          }
        })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    long after = param(ctx, "cursor", 0, Long.MAX_VALUE, 0);
    int limit = (int) param(ctx, "limit", 1, 1000, 100);
    String lib = ctx.queryParams().get("library");
    Long library = lib == null ? null : param(ctx, "library", 1, Long.MAX_VALUE, 0);
    store.listItems(library, after, limit).onSuccess(page -> LedScreenRoutes.json(ctx, 200, page)).onFailure(ctx::fail);
  }

  private void assign(RoutingContext ctx) {
    long library = LedScreenRoutes.id(ctx, "id");
    JsonObject b = JsonBody.object(ctx, "group_id", "start_date", "rules_per_day", "daypart");
    Object group = b.getValue("group_id");
    if (!(group instanceof Integer || group instanceof Long) || ((Number) group).longValue() < 1) {
      throw Problem.unprocessable("'group_id' (a group id) is required");
    }
    LocalDate start;
    try {
      start = b.getValue("start_date") == null ? groupToday(((Number) group).longValue())
          : LocalDate.parse(ItemInput.str(b, "start_date"));
    } catch (DateTimeParseException e) {
      throw Problem.unprocessable("'start_date' must be a date, YYYY-MM-DD");
    }
    Integer perDay = ItemInput.integer(b, "rules_per_day", 1, 100_000);
    String daypart = b.getValue("daypart") == null ? null : Daypart.parse(ItemInput.str(b, "daypart")).toString();
    store.assign(library, ((Number) group).longValue(), start, perDay, daypart)
        .compose(id -> runtime.refresh(Set.of("content")).map(id))
        .onSuccess(id -> LedScreenRoutes.json(ctx, 201, new JsonObject().put("id", id).put("library_id", library)
            .put("group_id", ((Number) group).longValue()).put("start_date", start.toString())
            .put("rules_per_day", perDay).put("daypart", daypart)))
        .onFailure(ctx::fail);
  }

  /**
   * The default first day of an assignment: the earliest local date among the group's screens
   * (the default zone's when it has none). The server's own date could already be tomorrow for
   * a screen further west, whose rotation would then start only at its next midnight.
   */
  private LocalDate groupToday(long groupId) {
    Instant now = Instant.now();
    LedSnapshot snap = runtime.snapshot();
    LocalDate today = now.atZone(LedDeviceRoutes.DEFAULT_ZONE).toLocalDate();
    if (snap == null) {
      return today;
    }
    for (long id : snap.screens.membersByGroup.getOrDefault(groupId, List.of())) {
      LedSnapshot.Screen screen = snap.screens.byId.get(id);
      if (screen != null) {
        LocalDate local = now.atZone(screen.zone).toLocalDate();
        today = local.isBefore(today) ? local : today;
      }
    }
    return today;
  }

  private void changed(RoutingContext ctx, Future<Boolean> change, String notFound) {
    change.compose(found -> found ? runtime.refresh(Set.of("content")).map(true) : Future.succeededFuture(false))
        .onSuccess(found -> {
          if (found) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.fail(Problem.notFound(notFound));
          }
        })
        .onFailure(ctx::fail);
  }

  static long param(RoutingContext ctx, String name, long min, long max, long dflt) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw Problem.badRequest("'" + name + "' must be a whole number from " + min + " to " + max);
  }
}
