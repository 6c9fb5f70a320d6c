package org.qingfeng.bench;

import static org.qingfeng.bench.BenchSupport.await;
import static org.qingfeng.bench.BenchSupport.post;
import static org.qingfeng.bench.BenchSupport.token;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.qingfeng.app.PostgresUrl;
import org.qingfeng.db.Database;

/**
 * Client side of scripts/bench/ops-agree.sh (issue 7 must-hold): "during a 100,000-message demo
 * blast the ops page's numbers agree with GET /api/v1/campaigns/{id}/stats within one second of
 * lag". Seeds the contacts (unnest), creates and approves a campaign to them over HTTP, then
 * reads the ops stream (snapshot + deltas, applied as the page does) while polling the stats API,
 * and checks every stream event E (server time {@code at} = a, received at t):
 * <ul>
 *   <li>lag: t - a &lt;= 1000 ms (every event but the snapshot replayed on connect, which is older than the client);</li>
 *   <li>bracket: for each monotonic counter c (messages, accepted, delivered, failed, rejected,
 *       unknown), R_before.c &lt;= E.c &lt;= R_after.c, where R_before is the last stats read that
 *       ended before a and R_after the first that started after t;</li>
 *   <li>at the end (every message has a final outcome): the stream and the stats API show exactly
 *       the same numbers.</li>
 * </ul>
 * Exits 1 on any violation or timeout. Server and client share the machine, so the server's
 * {@code at} is compared with this JVM's System.currentTimeMillis.
 *
 * <p>Usage: OpsAgreementBench HTTP_PORT PG_PORT KAFKA_PORT ADMIN_TOKEN [MESSAGES=100000] [POLL_MS=100] [TIMEOUT_S=600]
 * (KAFKA_PORT is accepted for the same argument list as ExpandBench and not used.)
 */
public final class OpsAgreementBench {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final int SEED_CHUNK = 50_000;
  private static final String TAG = "agree";
  private static final long MAX_LAG_MS = 1000;
  /** The monotonic counters compared: stats.messages, stats.accepted and these by_status entries. */
  private static final String[] KEYS = {"messages", "accepted", "delivered", "failed", "rejected", "unknown"};

  /** One stream event: receive time t, server tick time a, and the campaign's counters then (null: not listed). */
  record Event(String name, long seq, long t, long a, long[] c, long submitted, String status, long ledgerMessages,
      JsonObject stats, JsonObject funnel) {
  }

  /** One stats API read: started, ended, counters, the by_status object. */
  record Read(long start, long end, long[] c, long submitted, JsonObject json) {
  }

  private static final List<Event> events = Collections.synchronizedList(new ArrayList<>());
  private static final List<Read> reads = Collections.synchronizedList(new ArrayList<>());
  private static final List<String> protocol = Collections.synchronizedList(new ArrayList<>());
  private static volatile long campaignId = -1;
  private static volatile boolean stop;
  private static volatile int resyncSnapshots;

  public static void main(String[] args) throws Exception {
    int httpPort = Integer.parseInt(args[0]);
    PostgresUrl pg = new PostgresUrl("127.0.0.1", Integer.parseInt(args[1]), "qingfeng", "postgres", "");
    String admin = args[3];
    int messages = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
    long pollMs = args.length > 5 ? Long.parseLong(args[5]) : 100;
    long timeoutS = args.length > 6 ? Long.parseLong(args[6]) : 600;
    String base = "http://127.0.0.1:" + httpPort;
    Vertx vertx = Vertx.vertx();
    Pool pool = Database.pool(vertx, pg, 2);
    int exit = 1;
    try {
      long t0 = System.nanoTime();
      seed(pool, messages);
      System.out.printf("seeded %,d contacts tagged '%s' in %.1f s%n", messages, TAG, (System.nanoTime() - t0) / 1e9);
      String operator = token(base, admin, "operator", "agree-op");
      String approver = token(base, admin, "approver", "agree-ap");
      String viewer = token(base, admin, "viewer", "agree-viewer");

      Thread sse = new Thread(() -> readStream(base, viewer), "ops-stream");
      sse.setDaemon(true);
      sse.start();

      String sendAt = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusSeconds(2).toString();
      JsonObject body = new JsonObject().put("name", "国庆廉洁提醒 ops-agree").put("signature", "【余庆县纪委】")
          .put("text", "清风送节，廉洁过节。请勿收受礼品礼金。").put("send_at", sendAt).put("max_rate", 10_000)
          .put("audience", new JsonObject().put("tags_any", new JsonArray().add(TAG)));
      long id = post(base + "/api/v1/campaigns", operator, body.encode()).getLong("id");
      post(base + "/api/v1/campaigns/" + id + "/submit", operator, "{}");
      post(base + "/api/v1/campaigns/" + id + "/approve", approver, "{}");
      campaignId = id;
      System.out.printf("campaign %d approved, send_at %s, max_rate 10000; polling stats every %d ms%n", id, sendAt, pollMs);

      Thread poller = new Thread(() -> pollStats(base, viewer, id, pollMs), "stats-poller");
      poller.setDaemon(true);
      poller.start();

      exit = awaitAndCheck(pool, id, messages, Duration.ofSeconds(timeoutS)) ? 0 : 1;
    } finally {
      stop = true;
      await(pool.close());
      await(vertx.close());
    }
    System.exit(exit);
  }

  // ---------------------------------------------------------------- stream

  private static void readStream(String base, String token) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/ops/stream"))
        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build();
    try {
      HttpResponse<InputStream> res = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
      if (res.statusCode() != 200) {
        protocol.add("stream answered HTTP " + res.statusCode());
        return;
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8));
      JsonObject state = null;
      String name = null;
      String data = null;
      long received = 0;
      String line;
      while (!stop && (line = in.readLine()) != null) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          received = System.currentTimeMillis();
          data = line.substring(6);
        } else if (line.isEmpty() && name != null && data != null) {
          JsonObject d = new JsonObject(data);
          if (name.equals("snapshot")) {
            if (state != null) {
              resyncSnapshots++;
            }
            state = d;
          } else if (state == null) {
            protocol.add("delta seq " + d.getLong("seq") + " before any snapshot");
          } else {
            if (d.getLong("base") != state.getLong("seq").longValue()) {
              protocol.add("delta base " + d.getLong("base") + " != state seq " + state.getLong("seq"));
            }
            for (String k : d.fieldNames()) { // as OpsTestKit.apply / the page: sections replaced whole
              if (!k.equals("point") && !k.equals("base")) {
                state.put(k, d.getValue(k));
              }
            }
          }
          events.add(event(name, state, received));
          name = null;
          data = null;
        }
      }
      if (!stop) {
        protocol.add("the stream ended");
      }
    } catch (Exception e) {
      if (!stop) {
        protocol.add("stream failed: " + e);
      }
    }
  }

  private static Event event(String name, JsonObject state, long received) {
    long at = Instant.parse(state.getString("at")).toEpochMilli();
    JsonObject c = null;
    long id = campaignId;
    for (Object o : state.getJsonArray("campaigns")) {
      if (id >= 0 && ((JsonObject) o).getLong("id") == id) {
        c = (JsonObject) o;
      }
    }
    if (c == null) {
      return new Event(name, state.getLong("seq"), received, at, null, 0, null, 0, null, null);
    }
    JsonObject stats = c.getJsonObject("stats");
    return new Event(name, state.getLong("seq"), received, at, counters(stats), stats.getJsonObject("by_status").getLong("submitted"),
        c.getString("status"), c.getLong("messages"), stats.copy(), c.getJsonObject("funnel").copy());
  }

  /** messages, accepted, then by_status delivered, failed, rejected, unknown. */
  private static long[] counters(JsonObject stats) {
    JsonObject s = stats.getJsonObject("by_status");
    return new long[] {stats.getLong("messages"), stats.getLong("accepted"), s.getLong("delivered"), s.getLong("failed"),
        s.getLong("rejected"), s.getLong("unknown")};
  }

  // ---------------------------------------------------------------- stats API

  private static void pollStats(String base, String token, long id, long pollMs) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/campaigns/" + id + "/stats"))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build();
    while (!stop) {
      long start = System.currentTimeMillis();
      try {
        HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        long end = System.currentTimeMillis();
        if (res.statusCode() == 200) {
          JsonObject j = new JsonObject(res.body());
          reads.add(new Read(start, end, counters(j), j.getJsonObject("by_status").getLong("submitted"),
              new JsonObject().put("messages", j.getLong("messages")).put("accepted", j.getLong("accepted"))
                  .put("by_status", j.getJsonObject("by_status")).put("delivery_rate", j.getValue("delivery_rate"))));
        } else {
          protocol.add("stats answered HTTP " + res.statusCode() + " " + res.body());
        }
        long sleep = pollMs - (end - start);
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        protocol.add("stats read failed: " + e);
      }
    }
  }

  // ---------------------------------------------------------------- checking

  private static boolean awaitAndCheck(Pool pool, long id, int expected, Duration timeout) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    Event settled = null;
    Read restFinal = null;
    while (System.currentTimeMillis() < deadline) {
      Event last = lastWithCampaign();
      if (settled == null && last != null && "completed".equals(last.status()) && last.submitted() == 0
          && last.c()[0] == last.ledgerMessages() && last.ledgerMessages() == expected) {
        settled = last;
      }
      if (restFinal == null) {
        restFinal = firstSettledRead(expected);
      }
      if (settled != null && restFinal != null) {
        break;
      }
      Thread.sleep(100);
    }
    boolean timedOut = settled == null || restFinal == null;
    // Final equality: once both sides are settled nothing changes any more; wait (at most 30 s) for a
    // stats read started after the latest stream event and compare everything exactly.
    boolean equal = false;
    String finalDetail = "";
    if (!timedOut) {
      long until = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < until) {
        Event e = lastWithCampaign();
        Read r = lastRead();
        if (r != null && r.start() > e.t()) {
          JsonObject s = new JsonObject().put("messages", e.stats().getLong("messages")).put("accepted", e.stats().getLong("accepted"))
              .put("by_status", e.stats().getJsonObject("by_status")).put("delivery_rate", e.stats().getValue("delivery_rate"));
          equal = s.equals(r.json());
          finalDetail = "stream " + s.encode() + "\n       stats  " + r.json().encode() + "\n       funnel " + e.funnel().encode();
          if (equal) {
            JsonObject f = e.funnel();
            JsonObject b = s.getJsonObject("by_status");
            equal = f.getLong("delivered").equals(b.getLong("delivered")) && f.getLong("submitted").equals(s.getLong("accepted"))
                && f.getLong("failed") == b.getLong("failed") + b.getLong("rejected") && f.getLong("unknown").equals(b.getLong("unknown"))
                && f.getLong("queued") == 0;
            break;
          }
        }
        Thread.sleep(200);
      }
    }
    stop = true;
    Thread.sleep(300);
    List<Event> ev;
    List<Read> rd;
    synchronized (events) {
      ev = new ArrayList<>(events);
    }
    synchronized (reads) {
      rd = new ArrayList<>(reads);
    }
    return report(pool, id, expected, ev, rd, timedOut, settled, restFinal, equal, finalDetail);
  }

  private static Event lastWithCampaign() {
    synchronized (events) {
      for (int i = events.size() - 1; i >= 0; i--) {
        if (events.get(i).c() != null) {
          return events.get(i);
        }
      }
    }
    return null;
  }

  private static Read lastRead() {
    synchronized (reads) {
      return reads.isEmpty() ? null : reads.get(reads.size() - 1);
    }
  }

  private static Read firstSettledRead(int expected) {
    synchronized (reads) {
      for (Read r : reads) {
        if (r.submitted() == 0 && r.c()[0] == expected) {
          return r;
        }
      }
    }
    return null;
  }

  private static boolean report(Pool pool, long id, int expected, List<Event> ev, List<Read> rd, boolean timedOut,
      Event settled, Read restFinal, boolean equal, String finalDetail) {
    Row c = await(pool.preparedQuery("SELECT (extract(epoch FROM started_at) * 1000)::int8 AS started, "
        + "(extract(epoch FROM finished_at) * 1000)::int8 AS finished, status, audience_matched FROM campaign WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next();
    Long started = c.getLong("started");
    Long finished = c.getLong("finished");
    System.out.printf("campaign %d: status %s, %,d matched%n", id, c.getString("status"), c.getInteger("audience_matched"));
    if (started != null && restFinal != null) {
      double s = (restFinal.end() - started) / 1000.0;
      System.out.printf("blast: %.1f s from start to every message final in the stats API = %,.0f messages/s"
          + " (submitting done after %.1f s = %,.0f submits/s)%n", s, expected / s,
          finished == null ? Double.NaN : (finished - started) / 1000.0,
          finished == null ? Double.NaN : expected / ((finished - started) / 1000.0));
    }

    // A coarse timeline from the stream (about 20 lines): what the page showed.
    List<Event> withC = ev.stream().filter(e -> e.c() != null && e.funnel() != null).toList();
    if (!withC.isEmpty()) {
      long first = withC.get(0).a();
      int step = Math.max(1, withC.size() / 20);
      System.out.println("timeline (stream):   s  status     ledger  queued  messages  accepted delivered  failed  lag ms");
      for (int i = 0; i < withC.size(); i += step) {
        printTimeline(withC.get(i), first);
      }
      if ((withC.size() - 1) % step != 0) {
        printTimeline(withC.get(withC.size() - 1), first);
      }
    }

    // Lag of every event, and the staleness the page can show: until the next event, the page shows the previous one.
    // The first event is the latest tick's snapshot, replayed on connect: it was computed before this client
    // existed, so its age says when we connected, not how late the stream is; shown, not counted.
    List<Event> live = ev.isEmpty() ? ev : ev.subList(1, ev.size());
    long[] lags = live.stream().mapToLong(e -> e.t() - e.a()).sorted().toArray();
    long lagViolations = live.stream().filter(e -> e.t() - e.a() > MAX_LAG_MS).count();
    long maxGap = 0;
    long maxStale = 0;
    int skipped = 0;
    for (int i = 1; i < ev.size(); i++) {
      long gap = ev.get(i).a() - ev.get(i - 1).a();
      maxGap = Math.max(maxGap, gap);
      maxStale = Math.max(maxStale, ev.get(i).t() - ev.get(i - 1).a());
      if (gap >= 1500) {
        skipped++;
      }
    }
    long[] readMs = rd.stream().mapToLong(r -> r.end() - r.start()).sorted().toArray();
    System.out.printf("stream: %,d events (%d snapshots after the first), %,d with the campaign; stats API: %,d reads (p50 %d ms, max %d ms)%n",
        ev.size(), resyncSnapshots, ev.stream().filter(e -> e.c() != null).count(), rd.size(), pct(readMs, 0.5), pct(readMs, 1.0));
    System.out.printf("lag (receive - at, %,d events after the connect-time snapshot): p50 %d ms, p99 %d ms, max %d ms;"
        + " %d events over %d ms (connect-time snapshot: %d ms old)%n", lags.length, pct(lags, 0.5), pct(lags, 0.99),
        pct(lags, 1.0), lagViolations, MAX_LAG_MS, ev.isEmpty() ? -1 : ev.get(0).t() - ev.get(0).a());
    System.out.printf("tick spacing: max %d ms between consecutive 'at', %d gaps >= 1.5 s (skipped ticks); "
        + "max page staleness (next receive - at) %d ms%n", maxGap, skipped, maxStale);
    for (Event e : live) {
      if (e.t() - e.a() > MAX_LAG_MS) {
        System.out.printf("  LAG seq %d %s at %s received +%d ms%n", e.seq(), e.name(), Instant.ofEpochMilli(e.a()), e.t() - e.a());
        break;
      }
    }

    // Brackets.
    int checked = 0;
    int violations = 0;
    int[] perKey = new int[KEYS.length];
    long[] ends = rd.stream().mapToLong(Read::end).toArray();
    long[] starts = rd.stream().mapToLong(Read::start).toArray();
    for (Event e : ev) {
      if (e.c() == null) {
        continue;
      }
      int before = lastBelow(ends, e.a()); // last read that ended before a
      int after = firstAbove(starts, e.t()); // first read that started after t
      Read rb = before < 0 ? null : rd.get(before);
      Read ra = after >= rd.size() ? null : rd.get(after);
      if (rb == null && ra == null) {
        continue;
      }
      checked++;
      boolean bad = false;
      StringBuilder why = new StringBuilder();
      for (int k = 0; k < KEYS.length; k++) {
        boolean lo = rb != null && rb.c()[k] > e.c()[k];
        boolean hi = ra != null && e.c()[k] > ra.c()[k];
        if (lo || hi) {
          perKey[k]++;
          bad = true;
          why.append(String.format(" %s: %s <= %d <= %s;", KEYS[k], rb == null ? "-" : rb.c()[k], e.c()[k], ra == null ? "-" : ra.c()[k]));
        }
      }
      if (bad) {
        if (violations < 5) {
          System.out.printf("  BRACKET seq %d at %s recv +%d ms; before: read [%s..%s] after: read [%s..%s]:%s%n", e.seq(),
              Instant.ofEpochMilli(e.a()), e.t() - e.a(), rb == null ? "-" : Instant.ofEpochMilli(rb.start()),
              rb == null ? "-" : Instant.ofEpochMilli(rb.end()), ra == null ? "-" : Instant.ofEpochMilli(ra.start()),
              ra == null ? "-" : Instant.ofEpochMilli(ra.end()), why);
        }
        violations++;
      }
    }
    StringBuilder keys = new StringBuilder();
    for (int k = 0; k < KEYS.length; k++) {
      keys.append(KEYS[k]).append('=').append(perKey[k]).append(' ');
    }
    System.out.printf("bracket (R_before <= stream <= R_after, each of %s): %,d events checked, %d violations (%s)%n",
        String.join(", ", KEYS), checked, violations, keys.toString().trim());
    for (String p : protocol.subList(0, Math.min(5, protocol.size()))) {
      System.out.println("  PROTOCOL " + p);
    }
    if (timedOut) {
      System.out.printf("TIMEOUT: stream settled %s, stats API settled %s%n", settled != null, restFinal != null);
    } else {
      System.out.printf("final: stream and stats API %s%n       %s%n", equal ? "EQUAL" : "DIFFER", finalDetail);
    }
    boolean ok = !timedOut && equal && lagViolations == 0 && violations == 0 && protocol.isEmpty() && !ev.isEmpty() && !rd.isEmpty();
    System.out.println(ok ? "RESULT: PASS" : "RESULT: FAIL");
    return ok;
  }

  private static void printTimeline(Event e, long first) {
    System.out.printf("  %19.1f  %-9s %7d %7d %9d %9d %9d %7d %7d%n", (e.a() - first) / 1000.0, e.status(), e.ledgerMessages(),
        e.funnel().getLong("queued"), e.c()[0], e.c()[1], e.c()[2], e.c()[3] + e.c()[4], e.t() - e.a());
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** Index of the last element strictly below x (ascending array), -1 if none. */
  private static int lastBelow(long[] a, long x) {
    int i = Arrays.binarySearch(a, x);
    if (i < 0) {
      return -i - 2;
    }
    while (i >= 0 && a[i] >= x) {
      i--;
    }
    return i;
  }

  /** Index of the first element strictly above x (ascending array), a.length if none. */
  private static int firstAbove(long[] a, long x) {
    int i = Arrays.binarySearch(a, x);
    if (i < 0) {
      return -i - 1;
    }
    while (i < a.length && a[i] <= x) {
      i++;
    }
    return i;
  }

  // ---------------------------------------------------------------- setup

  private static void seed(Pool pool, int contacts) {
    long have = await(pool.query("SELECT count(*) FROM contact WHERE tags @> ARRAY['" + TAG + "']").execute())
        .iterator().next().getLong(0);
    for (int from = (int) have; from < contacts; from += SEED_CHUNK) {
      int n = Math.min(SEED_CHUNK, contacts - from);
      String[] phones = new String[n];
      String[] names = new String[n];
      for (int i = 0; i < n; i++) {
        phones[i] = String.format("+86137%08d", from + i);
        names[i] = "党员" + (from + i);
      }
      await(pool.preparedQuery("INSERT INTO contact (phone, name, unit, township, tags) SELECT u.phone, u.name, "
              + "'纪委', '白泥镇', ARRAY['" + TAG + "'] FROM unnest($1::text[], $2::text[]) AS u(phone, name) ON CONFLICT (phone) DO NOTHING")
          .execute(Tuple.tuple().addValue(phones).addValue(names)));
    }
    await(pool.query("ANALYZE contact").execute());
  }

}
