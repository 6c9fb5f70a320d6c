package org.qingfeng.led.sim;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated controller: long-polls its playlist (keeping the ETag), "shows" what is due now
 * for its dwell time (alerts pre-empt everything), and posts proof of play in batches.
 */
final class SimScreen {
  private final Vertx vertx;
  private final WebClient client;
  private final String credential;
  private final String runId;
  private final int waitS;
  private final double speed;
  private final int batch;
  private final SimStats stats;
  private final PlayLog playLog;
  private String etag;
  private List<JsonObject> entries = List.of();
  private final List<JsonObject> pendingPlays = new ArrayList<>();
  private int cursor;
  private long seq;
  private volatile boolean stopped;

  SimScreen(Vertx vertx, WebClient client, String credential, String runId, int waitS, double speed, int batch, SimStats stats,
      PlayLog playLog) {
    this.vertx = vertx;
    this.client = client;
    this.credential = credential;
    this.runId = runId;
    this.waitS = waitS;
    this.speed = speed;
    this.batch = batch;
    this.stats = stats;
    this.playLog = playLog;
  }

  void start() {
    poll();
    vertx.setTimer(50 + (long) (Math.random() * 200), t -> showNext());
  }

  void stop() {
    stopped = true;
    flushPlays();
  }

  private void poll() {
    if (stopped) {
      return;
    }
    var req = client.get("/led/v1/playlist" + (waitS > 0 ? "?wait=" + waitS : "")).putHeader("Authorization", "Bearer " + credential)
        .timeout((waitS + 15) * 1000L);
    if (etag != null) {
      req.putHeader("If-None-Match", etag);
    }
    stats.polls.incrementAndGet();
    req.send().onComplete(ar -> {
      long next = waitS > 0 ? 0 : 1000;
      if (ar.failed()) {
        stats.errors.incrementAndGet();
        next = 2000;
      } else {
        HttpResponse<Buffer> r = ar.result();
        if (r.statusCode() == 200) {
          stats.ok.incrementAndGet();
          etag = r.getHeader("ETag");
          load(r.bodyAsJsonObject());
        } else if (r.statusCode() == 304) {
          stats.notModified.incrementAndGet();
        } else {
          stats.errors.incrementAndGet();
          String retry = r.getHeader("Retry-After");
          next = retry != null && retry.matches("\\d+") ? Long.parseLong(retry) * 1000 : 2000;
        }
        String nextPoll = r.getHeader("X-Next-Poll-S");
        if (waitS == 0 && nextPoll != null && nextPoll.matches("\\d+")) {
          next = (long) (Long.parseLong(nextPoll) * 1000 / speed);
        }
      }
      if (next <= 0) {
        poll();
      } else {
        vertx.setTimer(next, t -> poll());
      }
    });
  }

  private void load(JsonObject playlist) {
    List<JsonObject> list = new ArrayList<>();
    for (Object o : playlist.getJsonArray("items", new JsonArray())) {
      list.add((JsonObject) o);
    }
    entries = list;
    cursor = 0;
  }

  /** Picks the next entry due now (alerts only, while one is live), shows it for its dwell. */
  private void showNext() {
    if (stopped) {
      return;
    }
    Instant now = Instant.now();
    List<JsonObject> due = new ArrayList<>();
    for (JsonObject e : entries) {
      if ("alert".equals(e.getString("kind")) && activeAt(e, now)) {
        due.add(e);
      }
    }
    if (due.isEmpty()) {
      for (JsonObject e : entries) {
        if (activeAt(e, now)) {
          due.add(e);
        }
      }
    }
    if (due.isEmpty()) {
      vertx.setTimer((long) Math.max(50, 1000 / speed), t -> showNext());
      return;
    }
    JsonObject e = due.get(cursor++ % due.size());
    long dwellMs = Math.max(20, (long) (e.getInteger("dwell_s", 10) * 1000 / speed));
    JsonObject play = new JsonObject().put("client_play_id", runId + "-" + (++seq))
        .put("content_hash", e.getString("content_hash")).put("started_at", now.toString()).put("duration_ms", (int) dwellMs);
    if ("alert".equals(e.getString("kind"))) {
      play.put("alert_id", e.getLong("alert_id"));
      stats.alertsShown.incrementAndGet();
    } else {
      play.put("item_id", e.getLong("item_id"));
    }
    stats.shown.incrementAndGet();
    vertx.setTimer(dwellMs, t -> {
      pendingPlays.add(play);
      if (pendingPlays.size() >= batch) {
        flushPlays();
      }
      showNext();
    });
  }

  void flushPlays() {
    if (pendingPlays.isEmpty()) {
      return;
    }
    JsonArray plays = new JsonArray(new ArrayList<>(pendingPlays));
    pendingPlays.clear();
    client.post("/led/v1/plays").putHeader("Authorization", "Bearer " + credential)
        .sendJsonObject(new JsonObject().put("plays", plays)).onComplete(ar -> {
          if (ar.succeeded() && ar.result().statusCode() == 202) {
            stats.playsPosted.addAndGet(plays.size());
            if (playLog != null) {
              String screenId = credential.substring(0, credential.indexOf('.'));
              plays.forEach(p -> playLog.accepted(screenId, ((JsonObject) p).getString("client_play_id")));
            }
          } else {
            stats.playsRefused.addAndGet(plays.size());
          }
        });
  }

  private static boolean activeAt(JsonObject e, Instant now) {
    for (Object o : e.getJsonArray("windows", new JsonArray())) {
      JsonObject w = (JsonObject) o;
      if (!now.isBefore(OffsetDateTime.parse(w.getString("from")).toInstant())
          && now.isBefore(OffsetDateTime.parse(w.getString("until")).toInstant())) {
        return true;
      }
    }
    return false;
  }
}
