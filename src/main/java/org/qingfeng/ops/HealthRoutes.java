package org.qingfeng.ops;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.qingfeng.http.ProblemResponse;

/** /health/live (the process answers) and /health/ready (Postgres and Kafka answer). */
public final class HealthRoutes {
  private final ReadinessCheck readiness;
  private final Supplier<String> notReadyReason;

  /** @param notReadyReason why the server as a whole is not ready (starting, stopping), or null */
  public HealthRoutes(ReadinessCheck readiness, Supplier<String> notReadyReason) {
    this.readiness = readiness;
    this.notReadyReason = notReadyReason;
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    String reason = notReadyReason.get();
    if (reason != null) {
      ProblemResponse.send(ctx, 503, "Not ready", reason, null);
      return;
    }
    readiness.check().onSuccess(checks -> {
      List<String> down = new ArrayList<>();
      checks.forEach(e -> {
        if (!"UP".equals(e.getValue())) {
          down.add(e.getKey() + " " + e.getValue());
        }
      });
      if (down.isEmpty()) {
        ctx.response().putHeader("Cache-Control", "no-store");
        ctx.json(new JsonObject().put("status", "UP").put("checks", checks));
      } else {
        ProblemResponse.send(ctx, 503, "Not ready", String.join("; ", down),
            new JsonObject().put("checks", checks));
      }
    }).onFailure(ctx::fail);
  }
}
