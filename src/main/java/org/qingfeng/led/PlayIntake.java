package org.qingfeng.led;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.qingfeng.http.JsonBody;
import org.qingfeng.http.Problem;
import org.qingfeng.led.LedSnapshot.Screen;

/**
 * POST /led/v1/plays: a batch of plays is checked whole (shape, limits, times, that every item or
 * alert exists with that content hash) before any of it goes to Kafka, so a bad batch stores
 * nothing. Accepted plays are acknowledged (202) once Kafka has them; the sink makes repeats
 * harmless (screen, client play id).
 */
public final class PlayIntake {
  private final DeviceAuth auth;
  private final LedRuntime runtime;
  private final LedPlayStore store;
  private final PlayPublisher publisher;

  public PlayIntake(LedRuntime runtime, LedPlayStore store, PlayPublisher publisher) {
    this.auth = new DeviceAuth(runtime);
    this.runtime = runtime;
    this.store = store;
    this.publisher = publisher;
  }

  public void handle(RoutingContext ctx) {
    Screen screen = auth.authenticate(ctx);
    runtime.seen(screen.id);
    JsonObject body = JsonBody.object(ctx, "plays");
    Object raw = body.getValue("plays");
    if (!(raw instanceof JsonArray) || ((JsonArray) raw).isEmpty()) {
      throw Problem.unprocessable("'plays' must be a non-empty array");
    }
    JsonArray arr = (JsonArray) raw;
    int limit = runtime.settings().playsBatchLimit;
    if (arr.size() > limit) {
      throw new Problem(413, "Content too large", "a batch holds at most " + limit + " plays; this one has " + arr.size());
    }
    long now = System.currentTimeMillis();
    long latest = now + runtime.settings().playClockSkewS * 1000L;
    Map<String, PlayRecord> byClientId = new LinkedHashMap<>();
    for (int i = 0; i < arr.size(); i++) {
      PlayRecord p = parse(arr.getValue(i), i, latest);
      p.screenId = screen.id;
      p.receivedAtMs = now;
      byClientId.putIfAbsent(p.clientPlayId, p);
    }
    List<PlayRecord> plays = new ArrayList<>(byClientId.values());
    if (!publisher.reserve(plays.size())) {
      ctx.response().putHeader("Retry-After", "5");
      throw Problem.unavailable("too many plays in flight to Kafka; send this batch again later");
    }
    verify(plays)
        .compose(v -> publisher.publish(plays), err -> {
          publisher.release(plays.size());
          return Future.failedFuture(err);
        })
        .onSuccess(v -> ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("accepted", plays.size()).put("duplicates_in_batch", arr.size() - plays.size()).encode()))
        .onFailure(err -> ctx.fail(err instanceof Problem ? err
            : Problem.unavailable("the plays could not be handed to Kafka; send the batch again")));
  }

  /** Every (item, hash) and (alert, hash) named must exist: 422 naming the first unknown ones. */
  private Future<Void> verify(List<PlayRecord> plays) {
    Set<Long> items = new HashSet<>();
    Set<Long> alerts = new HashSet<>();
    plays.forEach(p -> (p.itemId > 0 ? items : alerts).add(p.itemId > 0 ? p.itemId : p.alertId));
    return store.knownHashes(items, alerts).compose(known -> {
      List<String> unknown = new ArrayList<>();
      for (PlayRecord p : plays) {
        String key = p.itemId > 0 ? "i" + p.itemId + ":" + p.contentHash : "a" + p.alertId + ":" + p.contentHash;
        if (!known.contains(key) && unknown.size() < 10) {
          unknown.add(p.clientPlayId + (p.itemId > 0 ? " (item " + p.itemId + ")" : " (alert " + p.alertId + ")"));
        }
      }
      return unknown.isEmpty() ? Future.succeededFuture()
          : Future.failedFuture(Problem.unprocessable("unknown item or alert, or a content hash it never had, in plays: "
              + String.join(", ", unknown) + "; nothing from this batch was stored"));
    });
  }

  private static PlayRecord parse(Object o, int i, long latestMs) {
    if (!(o instanceof JsonObject)) {
      throw bad(i, "is not an object");
    }
    JsonObject j = (JsonObject) o;
    PlayRecord p = new PlayRecord();
    Object id = j.getValue("client_play_id");
    if (!(id instanceof String) || ((String) id).isEmpty() || ((String) id).length() > 100) {
      throw bad(i, "needs 'client_play_id', a string of 1 to 100 characters");
    }
    p.clientPlayId = (String) id;
    p.itemId = positive(j, "item_id", i);
    p.alertId = positive(j, "alert_id", i);
    if ((p.itemId > 0) == (p.alertId > 0)) {
      throw bad(i, "needs exactly one of 'item_id' and 'alert_id'");
    }
    Object hash = j.getValue("content_hash");
    if (!(hash instanceof String) || !((String) hash).matches("[0-9a-f]{64}")) {
      throw bad(i, "needs 'content_hash', 64 lower-case hex digits");
    }
    p.contentHash = (String) hash;
    try {
      p.startedAtMs = OffsetDateTime.parse(String.valueOf(j.getValue("started_at"))).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw bad(i, "needs 'started_at', an ISO-8601 time with offset");
    }
    if (p.startedAtMs > latestMs) {
      throw bad(i, "starts in the future (" + Instant.ofEpochMilli(p.startedAtMs) + ")");
    }
    if (p.startedAtMs < latestMs - 400L * 86_400_000L) {
      throw bad(i, "starts more than 400 days ago");
    }
    Object d = j.getValue("duration_ms");
    if (!(d instanceof Integer) || (Integer) d < 0 || (Integer) d > 86_400_000) {
      throw bad(i, "needs 'duration_ms', 0 to 86400000");
    }
    p.durationMs = (Integer) d;
    return p;
  }

  private static long positive(JsonObject j, String field, int i) {
    Object v = j.getValue(field);
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 1) {
      throw bad(i, "has a bad '" + field + "'");
    }
    return ((Number) v).longValue();
  }

  private static Problem bad(int index, String what) {
    return Problem.unprocessable("plays[" + index + "] " + what + "; nothing from this batch was stored");
  }
}
