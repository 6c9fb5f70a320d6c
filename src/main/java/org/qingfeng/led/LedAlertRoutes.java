package org.qingfeng.led;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import org.qingfeng.auth.Principal;
import org.qingfeng.auth.Role;
import org.qingfeng.auth.RoleGuard;
import org.qingfeng.http.JsonBody;
import org.qingfeng.http.Problem;

/** Emergency alerts (raise, clear, list) and the play reports. */
public final class LedAlertRoutes {
  private static final Duration MAX_ALERT = Duration.ofDays(7);
  private final LedContentStore content;
  private final LedPlayStore plays;
  private final LedRuntime runtime;

  public LedAlertRoutes(LedContentStore content, LedPlayStore plays, LedRuntime runtime) {
    this.content = content;
    this.plays = plays;
    this.runtime = runtime;
  }

  public void mount(Router api) {
    api.post("/led/alerts").handler(RoleGuard.require(Role.OPERATOR)).handler(this::raise);
    api.get("/led/alerts").handler(RoleGuard.anyRole()).handler(ctx -> content.listAlerts(!"all".equals(ctx.queryParams().get("state")))
        .onSuccess(a -> LedScreenRoutes.json(ctx, 200, new JsonObject().put("items", a))).onFailure(ctx::fail));
    api.delete("/led/alerts/:id").handler(RoleGuard.require(Role.OPERATOR)).handler(this::clear);
    api.get("/led/reports/plays").handler(RoleGuard.anyRole()).handler(this::playsReport);
    api.get("/led/reports/alerts/:id").handler(RoleGuard.anyRole()).handler(ctx -> plays.alertReport(LedScreenRoutes.id(ctx, "id"))
        .onSuccess(r -> {
          if (r == null) {
            ctx.fail(Problem.notFound("no such alert"));
          } else {
            LedScreenRoutes.json(ctx, 200, r);
          }
        }).onFailure(ctx::fail));
  }

  private void raise(RoutingContext ctx) {
    JsonObject b = JsonBody.object(ctx, "text", "target_groups", "target_screens", "expires_at", "ttl_s");
    String text = LedText.clean(b.getValue("text") instanceof String ? b.getString("text") : null, runtime.settings().textMaxChars, "text");
    List<Long> groups = ItemInput.ids(b, "target_groups");
    List<Long> screens = ItemInput.ids(b, "target_screens");
    groups = groups == null ? List.of() : groups;
    screens = screens == null ? List.of() : screens;
    if (groups.isEmpty() && screens.isEmpty()) {
      throw Problem.unprocessable("name 'target_groups' or 'target_screens'");
    }
    Instant now = Instant.now();
    Instant expires;
    if (b.getValue("expires_at") != null) {
      expires = ItemInput.instant(b, "expires_at");
    } else {
      Integer ttl = ItemInput.integer(b, "ttl_s", 1, (int) MAX_ALERT.toSeconds());
      if (ttl == null) {
        throw Problem.unprocessable("give 'expires_at' (ISO-8601 with offset) or 'ttl_s'");
      }
      expires = now.plusSeconds(ttl);
    }
    if (!expires.isAfter(now) || expires.isAfter(now.plus(MAX_ALERT))) {
      throw Problem.unprocessable("'expires_at' must be in the future and within 7 days");
    }
    Principal who = Principal.of(ctx);
    content.createAlert(text, LedText.hash(text), groups, screens, expires, who == null ? null : who.name())
        .compose(r -> runtime.refresh(Set.of("alerts")).map(r))
        .onSuccess(r -> {
          ctx.response().putHeader("Location", "/api/v1/led/alerts/" + r.getLong("id"));
          LedScreenRoutes.json(ctx, 201, r);
        })
        .onFailure(ctx::fail);
  }

  private void clear(RoutingContext ctx) {
    long id = LedScreenRoutes.id(ctx, "id");
    content.clearAlert(id).compose(done -> done ? runtime.refresh(Set.of("alerts")).map(true) : Future.succeededFuture(false))
        .onSuccess(done -> {
          if (done) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.fail(Problem.notFound("no live alert " + id));
          }
        })
        .onFailure(ctx::fail);
  }

  private void playsReport(RoutingContext ctx) {
    OffsetDateTime from = time(ctx, "from");
    OffsetDateTime to = time(ctx, "to");
    if (!to.isAfter(from)) {
      throw Problem.badRequest("'to' must be after 'from'");
    }
    String group = ctx.queryParams().get("group");
    String lib = ctx.queryParams().get("library");
    Long groupId = group == null ? null : LedContentRoutes.param(ctx, "group", 1, Long.MAX_VALUE, 0);
    Long libraryId = lib == null ? null : LedContentRoutes.param(ctx, "library", 1, Long.MAX_VALUE, 0);
    plays.playsReport(from, to, groupId, libraryId).onSuccess(r -> LedScreenRoutes.json(ctx, 200, r)).onFailure(ctx::fail);
  }

  private static OffsetDateTime time(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      throw Problem.badRequest("'" + name + "' (ISO-8601 with offset) is required");
    }
    try {
      // A '+' in an unencoded query arrives as a space.
      return OffsetDateTime.parse(v.replace(' ', '+'));
    } catch (DateTimeParseException e) {
      throw Problem.badRequest("'" + name + "' must be ISO-8601 with offset, e.g. 2025-01-28T00:00:00+08:00");
    }
  }
}
