package org.qingfeng.faults;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

/**
 * The fault run: real processes ({@link Cluster}), a blast of {@code recipients} numbers and
 * {@code screens} polling screens, and during the blast: server A SIGKILLed and restarted, Kafka
 * restarted, PostgreSQL restarted, while the SMSC drops every link every few seconds. Then
 * {@link FaultCheck} compares the SMSC's ledger, its acknowledged receipts and the screens'
 * accepted plays with PostgreSQL. {@code scripts/faults/run.sh} runs {@link #main}; the
 * {@code fault}-tagged {@code FaultRunIT} runs the short form.
 */
public final class FaultRun {
  private static final String TAG = "fault";
  private static final String[] FAULTS = {"SIGKILL server A and restart it", "restart Kafka", "restart PostgreSQL"};
  /** Share of the recipients reached at the SMSC when each fault starts. */
  private static final double[] FAULT_AT = {0.15, 0.40, 0.65};

  private final FaultSettings settings;
  private final PrintStream out;
  private long t0;

  FaultRun(FaultSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of("target/faults");
    boolean full = false;
    Integer recipients = null;
    Integer screens = null;
    Integer maxRate = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--full" -> full = true;
        case "--short" -> full = false;
        case "--dir" -> dir = Path.of(args[++i]);
        case "--recipients" -> recipients = Integer.parseInt(args[++i]);
        case "--screens" -> screens = Integer.parseInt(args[++i]);
        case "--max-rate" -> maxRate = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: FaultRun [--short|--full] [--recipients N] [--screens N] [--max-rate N] [--dir DIR]");
          System.exit(2);
        }
      }
    }
    FaultSettings s = full ? FaultSettings.full(dir.toAbsolutePath()) : FaultSettings.shortRun(dir.toAbsolutePath());
    s = s.with(recipients != null ? recipients : s.recipients(), screens != null ? screens : s.screens(),
        maxRate != null ? maxRate : s.maxRate());
    Runtime.getRuntime().addShutdownHook(new Thread(Proc::stopAll, "fault-run-cleanup"));
    FaultReport report;
    try {
      report = new FaultRun(s, System.out).run();
    } catch (Exception e) {
      e.printStackTrace();
      System.out.println("RESULT: ERROR (the run did not finish: " + e.getMessage() + ")");
      System.exit(3);
      return;
    }
    System.exit(report.passed() ? 0 : 1);
  }

  FaultReport run() throws Exception {
    t0 = System.nanoTime();
    FaultReport report = new FaultReport();
    try (Cluster c = new Cluster(settings.workDir())) {
      log("work dir " + c.dir + "; recipients " + settings.recipients() + ", screens " + settings.screens()
          + ", max_rate " + settings.maxRate() + "/s per sender, SMPP links dropped every " + settings.dropLinksEveryMs() + " ms");
      c.startServices();
      log("services up (PostgreSQL :" + c.pgPort + ", Kafka :" + c.kafkaPort + ")");
      c.startSimulator(settings.dropLinksEveryMs());
      c.startServers();
      log("servers A :" + c.portA + " and B :" + c.portB + " ready");
      String operator = token(c, "operator");
      String approver = token(c, "approver");
      Set<String> expected = importContacts(c.apiA, operator);
      c.startLedSims(settings.screens(), ledContent(c), settings.playBatch());
      log("led-sims running");
      long id = startCampaign(c.apiB, operator, approver);
      long blastStart = System.nanoTime();
      blastWithFaults(c, id, operator, report);
      double blastS = (System.nanoTime() - blastStart) / 1e9;
      log(String.format("campaign %d completed after %.1f s", id, blastS));
      awaitReceiptsSettled(c);
      c.stopLedSims();
      log("led-sims stopped; checking");
      FaultReport checked = checkUntilSettled(c, id, expected, report);
      checked.put("blast duration (s)", String.format("%.1f", blastS));
      checked.put("run duration (s)", String.format("%.1f", elapsed()));
      checked.put("max_rate per sender (msg/s)", settings.maxRate());
      checked.put("screens", settings.screens());
      checked.print(out);
      return checked;
    }
  }

  private void blastWithFaults(Cluster c, long id, String operator, FaultReport report) throws Exception {
    int next = 0;
    boolean completed = false;
    long distinct = 0;
    double lastLog = 0;
    while (true) {
      try {
        distinct = c.simApi.getJson("/summary", null).getLong("distinct_destinations");
      } catch (Exception e) {
        // the simulator never restarts; keep the last figure
      }
      if (next < FAULTS.length && (completed || distinct >= FAULT_AT[next] * settings.recipients())) {
        if (completed) {
          report.violation("the blast completed before '" + FAULTS[next] + "': lower --max-rate or raise --recipients");
        }
        double start = elapsed();
        log("fault: " + FAULTS[next] + " (" + distinct + " recipients reached)");
        switch (next) {
          case 0 -> c.killAndRestartServerA();
          case 1 -> c.restartKafka();
          default -> c.restartPg();
        }
        report.faults.add(new FaultReport.Fault(FAULTS[next], start, distinct, elapsed() - start));
        log(String.format("fault done: %s in %.1f s", FAULTS[next], elapsed() - start));
        next++;
        continue;
      }
      String status = campaignStatus(c, id, operator);
      completed = "completed".equals(status);
      if (completed && next == FAULTS.length) {
        return;
      }
      if (elapsed() - lastLog >= 5) {
        lastLog = elapsed();
        log("blast: " + distinct + " recipients reached at the SMSC, campaign " + status);
      }
      if (elapsed() > settings.blastTimeout().toSeconds()) {
        throw new IllegalStateException("campaign " + id + " not completed within " + settings.blastTimeout()
            + " (status " + status + ", " + distinct + " recipients reached)");
      }
      Thread.sleep(500);
    }
  }

  /**
   * Receipts still due at the SMSC (sent 300 ms after a submit's response, retried up to 30 s):
   * waits until the count of receipts sent or given up on has not moved for 5 s. A submit whose
   * response died with its link gets no receipt, so the count need not reach the submits.
   */
  private void awaitReceiptsSettled(Cluster c) throws Exception {
    long deadline = System.nanoTime() + settings.settleTimeout().toNanos();
    long last = -1;
    long stableSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      JsonObject s = c.simApi.getJson("/summary", null);
      long done = s.getLong("receipts_sent") + s.getLong("receipts_failed");
      if (done != last) {
        last = done;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > 5_000_000_000L) {
        return;
      }
      Thread.sleep(500);
    }
    log("receipts still moving at the SMSC after " + settings.settleTimeout());
  }

  /** Receipts and plays travel through Kafka to PostgreSQL: check again until it holds or the settle time is up. */
  private FaultReport checkUntilSettled(Cluster c, long id, Set<String> expected, FaultReport during) throws Exception {
    long deadline = System.nanoTime() + settings.settleTimeout().toNanos();
    FaultCheck check = new FaultCheck(c, id, expected);
    while (true) {
      FaultReport r = new FaultReport();
      r.faults.addAll(during.faults);
      r.violations.addAll(during.violations);
      check.check(r);
      if (r.passed() || System.nanoTime() > deadline) {
        return r;
      }
      log("not settled yet: " + r.violations);
      Thread.sleep(3000);
    }
  }

  private String campaignStatus(Cluster c, long id, String operator) {
    for (Api api : new Api[] {c.apiB, c.apiA}) {
      try {
        return api.getJson("/api/v1/campaigns/" + id, operator).getString("status");
      } catch (Exception e) {
        // this server (or PostgreSQL behind it) is down right now: ask the other
      }
    }
    return "unknown (no server answered)";
  }

  private String token(Cluster c, String role) throws Exception {
    return c.apiA.postJson("/api/v1/tokens", c.adminToken, new JsonObject().put("role", role).put("name", "fault " + role), 201)
        .getString("token");
  }

  private Set<String> importContacts(Api api, String operator) throws Exception {
    StringBuilder csv = new StringBuilder("name,phone,unit,township,tags\n");
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < settings.recipients(); i++) {
      String national = String.format("139%08d", i);
      csv.append("故障演练").append(i).append(',').append(national).append(",余庆县纪委,白泥镇,").append(TAG).append('\n');
      expected.add("+86" + national);
    }
    JsonObject answer = api.post("/api/v1/contacts/import", operator, "text/csv", csv.toString(), 200);
    if (answer.getInteger("imported") != settings.recipients()) {
      throw new IllegalStateException("import: " + answer.encode());
    }
    log("imported " + settings.recipients() + " contacts");
    return expected;
  }

  /** A group with a few rules for the screens to show; returns the group id. */
  private long ledContent(Cluster c) throws Exception {
    long group = c.apiA.postJson("/api/v1/led/groups", c.adminToken, new JsonObject().put("name", "fault run").put("kind", "unit"), 201)
        .getLong("id");
    for (String text : new String[] {"廉洁自律从我做起", "清风正气廉洁奉公", "严守纪律规矩"}) {
      c.apiA.postJson("/api/v1/led/items", c.adminToken, new JsonObject().put("text", text).put("category", "aphorism")
          .put("target_groups", new JsonArray().add(group)), 201);
    }
    return group;
  }

  private long startCampaign(Api api, String operator, String approver) throws Exception {
    String sendAt = OffsetDateTime.ofInstant(Instant.now().plusSeconds(3), ZoneOffset.ofHours(8)).toString();
    // One part (UCS-2, under 70 characters with the signature): the SMSC's count per number is the message count.
    JsonObject body = new JsonObject().put("name", "故障演练").put("text", "清风送节，廉洁过节。").put("signature", "【余庆县纪委】")
        .put("audience", new JsonObject().put("tags_any", new JsonArray().add(TAG))).put("send_at", sendAt)
        .put("max_rate", settings.maxRate());
    long id = api.postJson("/api/v1/campaigns", operator, body, 201).getLong("id");
    api.postJson("/api/v1/campaigns/" + id + "/submit", operator, null, 200);
    api.postJson("/api/v1/campaigns/" + id + "/approve", approver, null, 200);
    log("campaign " + id + " approved, sends at " + sendAt);
    return id;
  }

  private double elapsed() {
    return (System.nanoTime() - t0) / 1e9;
  }

  private void log(String what) {
    out.printf("[fault-run %6.1fs] %s%n", elapsed(), what);
    out.flush();
  }

}
