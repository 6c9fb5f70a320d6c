package org.qingfeng.bench;

import static org.qingfeng.bench.BenchSupport.await;
import static org.qingfeng.bench.BenchSupport.post;
import static org.qingfeng.bench.BenchSupport.token;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.qingfeng.app.PostgresUrl;
import org.qingfeng.db.Database;

/**
 * Client side of scripts/bench/e2e.sh (issue 8 point 3): one blast from the operator API to
 * final outcomes in PostgreSQL. Seeds MESSAGES contacts (unnest), creates, submits and approves a
 * campaign to them over HTTP at max_rate 10,000, then polls the stats API until every message
 * has a final outcome (its receipt applied by the sink: stats.messages = MESSAGES and nothing
 * left in 'submitted'). Reports submits/s (campaign start to the ledger's last submit), final
 * messages/s (start to the last receipt applied), the sustained final rate between 10 % and 90 %
 * of the messages, CPU per process over the blast (server, simulator, PostgreSQL, Kafka) and
 * checks the simulator received each message once, apart from counted outcome-unknown resubmits.
 *
 * <p>Usage: EndToEndBench HTTP_PORT PG_PORT ADMIN_TOKEN MESSAGES TIMEOUT_S SIM_HTTP_PORT
 * SERVER_PID SIM_PID SERVICES_PID PG_DATA_DIR [WARMUP]; WARMUP messages go first, in a campaign of their
 * own, unmeasured. The last line is machine-readable ({@code E2E_RESULT ...}).
 */
public final class EndToEndBench {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final int SEED_CHUNK = 50_000;
  private static final String TAG = "e2e";
  private static final String WARM_TAG = "e2e-warm";
  private static final long POLL_MS = 250;

  /** One stats read: client time, messages with a submit result, messages with a final outcome. */
  record Point(long t, long messages, long finals) {
  }

  public static void main(String[] args) throws Exception {
    int httpPort = Integer.parseInt(args[0]);
    PostgresUrl pg = new PostgresUrl("127.0.0.1", Integer.parseInt(args[1]), "qingfeng", "postgres", "");
    String admin = args[2];
    int messages = Integer.parseInt(args[3]);
    long timeoutS = Long.parseLong(args[4]);
    int warmup = args.length > 10 ? Integer.parseInt(args[10]) : 0;
    String simBase = "http://127.0.0.1:" + args[5];
    Map<String, List<ProcessHandle>> procs = new LinkedHashMap<>();
    long serverPid = Long.parseLong(args[6]);
    procs.put("server", CpuTicks.process(serverPid));
    procs.put("simulator", CpuTicks.process(Long.parseLong(args[7])));
    procs.put("postgres", CpuTicks.postgres(args[9]));
    procs.put("kafka", CpuTicks.process(Long.parseLong(args[8])));
    String base = "http://127.0.0.1:" + httpPort;
    Vertx vertx = Vertx.vertx();
    Pool pool = Database.pool(vertx, pg, 2);
    int exit = 1;
    try {
      long t0 = System.nanoTime();
      seed(pool, TAG, "+86136", messages);
      if (warmup > 0) {
        seed(pool, WARM_TAG, "+86135", warmup);
      }
      System.out.printf("seeded %,d contacts tagged '%s' (and %,d '%s') in %.1f s%n", messages, TAG, warmup, WARM_TAG,
          (System.nanoTime() - t0) / 1e9);
      String operator = token(base, admin, "operator", "e2e-op");
      String approver = token(base, admin, "approver", "e2e-ap");
      String viewer = token(base, admin, "viewer", "e2e-viewer");
      if (warmup > 0) {
        // The same path once, unmeasured: the server's JIT compiles it (a fresh JVM spends most of a
        // short blast's CPU in its compiler threads), Kafka's and PostgreSQL's caches fill.
        long warm = approve(base, operator, approver, WARM_TAG);
        System.out.printf("warm-up: campaign %d, %,d messages (not measured)%n", warm, warmup);
        List<Point> w = poll(base, viewer, warm, warmup, Duration.ofSeconds(timeoutS));
        if (w.get(w.size() - 1).finals() < warmup) {
          System.out.println("warm-up did not finish");
          System.exit(1);
        }
      }
      if ("1".equals(System.getProperty("e2e.pgStatements"))) {
        // scripts/bench/e2e.sh PG_STATEMENTS=1 prints these after the run: the measured campaign's alone.
        await(pool.query("SELECT pg_stat_statements_reset(), pg_stat_reset(), pg_stat_reset_shared('wal')").execute());
      }
      long simSubmits0 = simSummary(simBase).getLong("submits");
      long id = approve(base, operator, approver, TAG);
      System.out.printf("campaign %d approved, max_rate 10000%n", id);
      String load0 = BenchSupport.loadAverage();
      Map<String, Long> cpu0 = cpu(procs);
      Map<String, Long> threads0 = CpuTicks.byThread(serverPid);

      List<Point> points = poll(base, viewer, id, messages, Duration.ofSeconds(timeoutS));
      Map<String, Long> cpu1 = cpu(procs);
      Map<String, Long> threads = CpuTicks.byThread(serverPid);
      threads.replaceAll((name, ms) -> ms - threads0.getOrDefault(name, 0L));
      System.out.println("server CPU by thread (ms): " + threads.entrySet().stream().filter(e -> e.getValue() >= 200)
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
      String load1 = BenchSupport.loadAverage();
      exit = report(pool, simBase, id, messages, points, simSubmits0, cpu0, cpu1, load0, load1) ? 0 : 1;
    } finally {
      await(pool.close());
      await(vertx.close());
    }
    System.exit(exit);
  }

  private static long approve(String base, String operator, String approver, String tag) throws Exception {
    return BenchSupport.approveCampaign(base, operator, approver, "国庆廉洁提醒", tag);
  }

  private static Map<String, Long> cpu(Map<String, List<ProcessHandle>> procs) {
    Map<String, Long> out = new LinkedHashMap<>();
    procs.forEach((name, p) -> out.put(name, CpuTicks.millis(p)));
    return out;
  }

  /** Polls the stats API until every message is final (or the timeout); the points make the timeline. */
  private static List<Point> poll(String base, String token, long id, int expected, Duration timeout) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/campaigns/" + id + "/stats"))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build();
    List<Point> points = new ArrayList<>();
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    long lastPrint = 0;
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
      long now = System.currentTimeMillis();
      if (res.statusCode() == 503) {
        // The server says the database did not answer in time (e.g. a stall while PostgreSQL creates
        // WAL files on a cold disk): a transient answer, so the blast goes on and the poll with it.
        System.out.printf("  %s: stats answered 503 (%s), polling on%n", java.time.LocalTime.now().withNano(0),
            new JsonObject(res.body()).getString("detail"));
        Thread.sleep(1_000);
        continue;
      }
      if (res.statusCode() != 200) {
        throw new IllegalStateException("stats answered HTTP " + res.statusCode() + " " + res.body());
      }
      JsonObject s = new JsonObject(res.body());
      long msgs = s.getLong("messages");
      long waiting = s.getJsonObject("by_status").getLong("submitted", 0L);
      Point p = new Point(now, msgs, msgs - waiting);
      points.add(p);
      if (now - lastPrint >= 10_000) {
        System.out.printf("  %s: %,d submit results, %,d final%n", java.time.LocalTime.now().withNano(0), msgs, p.finals());
        lastPrint = now;
      }
      if (p.finals() >= expected) {
        return points;
      }
      Thread.sleep(POLL_MS);
    }
    System.out.println("TIMEOUT: not every message final within " + timeout.toSeconds() + " s");
    return points;
  }

  private static boolean report(Pool pool, String simBase, long id, int expected, List<Point> points, long simSubmits0,
      Map<String, Long> cpu0, Map<String, Long> cpu1, String load0, String load1) throws Exception {
    Row c = await(pool.preparedQuery("SELECT (extract(epoch FROM started_at) * 1000)::int8 AS started, "
        + "(extract(epoch FROM finished_at) * 1000)::int8 AS finished, status, audience_matched, outcome_unknown "
        + "FROM campaign WHERE id = $1").execute(Tuple.of(id))).iterator().next();
    Map<String, Long> ledger = new LinkedHashMap<>();
    await(pool.preparedQuery("SELECT status, count(*) FROM message WHERE campaign_id = $1 GROUP BY status ORDER BY status")
        .execute(Tuple.of(id))).forEach(r -> ledger.put(r.getString(0), r.getLong(1)));
    long simSubmits = simSummary(simBase).getLong("submits") - simSubmits0;
    long unknown = c.getLong("outcome_unknown");
    Point last = points.get(points.size() - 1);
    boolean complete = last.finals() >= expected;
    long started = c.getLong("started");
    Long finished = c.getLong("finished");
    double submitS = finished == null ? Double.NaN : (finished - started) / 1000.0;
    double finalS = (last.t() - started) / 1000.0;
    double sustained = sustained(points, expected);

    System.out.printf("campaign %d: status %s, %,d matched, ledger %s, outcome_unknown %d%n", id, c.getString("status"),
        c.getInteger("audience_matched"), ledger, unknown);
    System.out.printf("simulator: %,d submit_sm received for %,d messages (%d counted outcome-unknown)%n", simSubmits,
        expected, unknown);
    System.out.printf("submit: %.1f s from campaign start to the last submit = %,.0f messages/s%n", submitS, expected / submitS);
    System.out.printf("final: %.1f s from campaign start to every receipt applied = %,.0f messages/s"
        + " (sustained 10%%-90%%: %,.0f messages/s)%n", finalS, expected / finalS, sustained);
    double wall = (last.t() - points.get(0).t()) / 1000.0;
    StringBuilder cpuLine = new StringBuilder();
    long totalCpu = 0;
    for (String name : cpu0.keySet()) {
      long ms = cpu1.get(name) - cpu0.get(name);
      totalCpu += ms;
      cpuLine.append(String.format("%s %,d ms (%.0f us/msg), ", name, ms, ms * 1000.0 / expected));
    }
    System.out.printf("cpu over the %.1f s blast: %stotal %,d ms = %.2f cores busy%n", wall, cpuLine, totalCpu,
        totalCpu / 1000.0 / wall);
    System.out.printf("load average: %s at start, %s at end%n", load0, load1);
    boolean once = simSubmits >= expected && simSubmits <= expected + unknown;
    if (!once) {
      System.out.println("MISMATCH: the simulator must receive each message once, apart from counted outcome-unknown resubmits");
    }
    boolean ok = complete && once;
    System.out.printf("E2E_RESULT messages=%d submit_per_s=%.0f final_per_s=%.0f sustained_per_s=%.0f cpu_ms=%s load_start=%s "
        + "load_end=%s ok=%s%n", expected, expected / submitS, expected / finalS, sustained,
        cpu0.keySet().stream().map(n -> n + ":" + (cpu1.get(n) - cpu0.get(n))).collect(Collectors.joining(",")),
        load0.replace(' ', '/'), load1.replace(' ', '/'), ok);
    return ok;
  }

  /** Final outcomes per second between the reads that first showed 10 % and 90 % of the messages final. */
  static double sustained(List<Point> points, int expected) {
    Point from = null;
    Point to = null;
    for (Point p : points) {
      if (from == null && p.finals() >= expected / 10) {
        from = p;
      }
      if (to == null && p.finals() >= expected * 9L / 10) {
        to = p;
      }
    }
    if (from == null || to == null || to.t() <= from.t()) {
      return Double.NaN;
    }
    return (to.finals() - from.finals()) * 1000.0 / (to.t() - from.t());
  }

  private static JsonObject simSummary(String simBase) throws Exception {
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(simBase + "/summary")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(res.body());
  }

  private static void seed(Pool pool, String tag, String prefix, int contacts) {
    for (int from = 0; from < contacts; from += SEED_CHUNK) {
      int n = Math.min(SEED_CHUNK, contacts - from);
      String[] phones = new String[n];
      String[] names = new String[n];
      for (int i = 0; i < n; i++) {
        phones[i] = String.format("%s%08d", prefix, from + i);
        names[i] = "党员" + (from + i);
      }
      await(pool.preparedQuery("INSERT INTO contact (phone, name, unit, township, tags) SELECT u.phone, u.name, "
              + "'纪委', '白泥镇', ARRAY['" + tag + "'] FROM unnest($1::text[], $2::text[]) AS u(phone, name) ON CONFLICT (phone) DO NOTHING")
          .execute(Tuple.tuple().addValue(phones).addValue(names)));
    }
    await(pool.query("ANALYZE contact").execute());
  }
}
