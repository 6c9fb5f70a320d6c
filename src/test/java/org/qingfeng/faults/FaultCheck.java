package org.qingfeng.faults;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.qingfeng.sms.PhoneMask;

/**
 * Compares what the simulated SMSC and screens saw with what PostgreSQL holds: zero missing
 * recipients; every number the SMSC got more than once accounted for by outcome-unknown
 * resubmits (the ledger's {@code message.outcome_unknown} for requeues, the connector's log
 * lines for in-flight resubmits after a lost link); every receipt the SMSC had acknowledged and
 * every play a server accepted stored.
 */
final class FaultCheck {
  private static final Pattern CONNECTOR_RESUBMIT = Pattern.compile(
      "channel " + Cluster.CHANNEL + ": (\\S+) part \\d+ outcome unknown \\(.*\\); resubmitting by policy");

  private final Cluster cluster;
  private final long campaignId;
  private final Set<String> expected;

  /** @param expected the audience's numbers in E.164 */
  FaultCheck(Cluster cluster, long campaignId, Set<String> expected) {
    this.cluster = cluster;
    this.campaignId = campaignId;
    this.expected = expected;
  }

  void check(FaultReport report) throws Exception {
    JsonObject summary = cluster.simApi.getJson("/summary", null);
    Map<String, Integer> atSmsc = new TreeMap<>();
    int multipart = 0;
    for (String line : cluster.simApi.lines("/ledger")) {
      JsonObject e = new JsonObject(line);
      atSmsc.merge(e164(e.getString("destination")), 1, Integer::sum);
      if (e.getInteger("concat_total", 0) > 1) {
        multipart++;
      }
    }
    List<String> simReceipts = cluster.simApi.lines("/receipts").stream()
        .map(l -> new JsonObject(l).getString("message_id")).toList();
    Map<String, Integer> connectorResubmits = connectorResubmits();

    try (Connection db = DriverManager.getConnection(cluster.jdbcUrl())) {
      report.put("recipients", expected.size());
      report.put("smsc submits", summary.getLong("submits"));
      report.put("smsc distinct recipients", atSmsc.size());
      report.put("smsc link drops", summary.getLong("dropped_links"));
      report.put("smsc binds", summary.getLong("binds"));
      if (multipart > 0) {
        report.violation(multipart + " multipart submits: the run's text must fit one part for per-number counting");
      }
      checkRecipients(db, atSmsc, connectorResubmits, report);
      checkReceipts(db, simReceipts, summary, report);
      checkPlays(db, report);
    }
  }

  private void checkRecipients(Connection db, Map<String, Integer> atSmsc, Map<String, Integer> connectorResubmits,
      FaultReport report) throws SQLException, IOException {
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(atSmsc.keySet());
    Set<String> unexpected = new HashSet<>(atSmsc.keySet());
    unexpected.removeAll(expected);
    report.put("missing recipients", missing.size());
    report.put("unexpected recipients", unexpected.size());
    if (!missing.isEmpty()) {
      report.violation(missing.size() + " recipients never reached the SMSC, e.g. " + masked(missing));
    }
    if (!unexpected.isEmpty()) {
      report.violation(unexpected.size() + " numbers outside the audience reached the SMSC, e.g. " + masked(unexpected));
    }

    Map<String, long[]> ledger = new HashMap<>(); // phone -> {message id, outcome_unknown}
    Map<String, Integer> byStatus = new TreeMap<>();
    long unknownSum = 0;
    try (PreparedStatement q = db.prepareStatement("SELECT id, phone, status, outcome_unknown FROM message WHERE campaign_id = ?")) {
      q.setLong(1, campaignId);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          ledger.put(r.getString(2), new long[] {r.getLong(1), r.getInt(4)});
          byStatus.merge(r.getString(3), 1, Integer::sum);
          unknownSum += r.getInt(4);
        }
      }
    }
    long campaignUnknown = scalar(db, "SELECT outcome_unknown FROM campaign WHERE id = ?", campaignId);
    report.put("ledger rows by status", byStatus);
    report.put("resubmits requeued as outcome-unknown (sum of message.outcome_unknown)", unknownSum);
    report.put("campaign.outcome_unknown", campaignUnknown);
    report.put("connector resubmits after a lost link or timeout (server logs)",
        connectorResubmits.values().stream().mapToInt(Integer::intValue).sum());
    if (ledger.size() != expected.size() || byStatus.getOrDefault("submitted", 0) != expected.size()) {
      report.violation("ledger holds " + ledger.size() + " rows for " + expected.size() + " recipients, by status " + byStatus);
    }
    if (campaignUnknown != unknownSum) {
      report.violation("campaign.outcome_unknown " + campaignUnknown + " != sum of message.outcome_unknown " + unknownSum);
    }

    long repeats = 0;
    long uncounted = 0;
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Integer> e : atSmsc.entrySet()) {
      int extra = e.getValue() - 1;
      if (extra <= 0) {
        continue;
      }
      repeats += extra;
      long[] row = ledger.get(e.getKey());
      long messageId = row == null ? -1 : row[0];
      long requeued = row == null ? 0 : row[1];
      int resubmitted = connectorResubmits.getOrDefault(Long.toString(messageId), 0);
      long notCounted = Math.max(0, extra - requeued - resubmitted);
      uncounted += notCounted;
      lines.add(PhoneMask.mask(e.getKey()) + " (message " + messageId + "): " + e.getValue() + " submits, outcome_unknown "
          + requeued + ", connector resubmits " + resubmitted + (notCounted > 0 ? "  <-- " + notCounted + " NOT COUNTED" : ""));
    }
    report.resubmitted.addAll(lines);
    Files.write(cluster.dir.resolve("resubmits.tsv"), lines, StandardCharsets.UTF_8);
    report.put("numbers repeated at the SMSC", lines.size());
    report.put("repeated submits (duplicates)", repeats);
    report.put("duplicates not covered by a counted resubmit", uncounted);
    if (uncounted > 0) {
      report.violation(uncounted + " duplicate submits not covered by a counted outcome-unknown resubmit");
    }
  }

  private void checkReceipts(Connection db, List<String> simReceipts, JsonObject summary, FaultReport report) throws SQLException {
    Set<String> stored = new HashSet<>();
    try (PreparedStatement q = db.prepareStatement(
        "SELECT smsc_id FROM receipt_event_log WHERE type = 'receipt' AND channel = ?")) {
      q.setString(1, Cluster.CHANNEL);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          stored.add(r.getString(1));
        }
      }
    }
    List<String> missing = simReceipts.stream().filter(id -> !stored.contains(id)).toList();
    report.put("receipts acknowledged to the SMSC", simReceipts.size());
    report.put("receipts the SMSC gave up on (never acknowledged in 30 s)", summary.getLong("receipts_failed"));
    report.put("accepted submits without a receipt (their response died with the link)",
        summary.getLong("submits") - summary.getLong("receipts_sent") - summary.getLong("receipts_failed"));
    report.put("receipts in PostgreSQL (event log)", stored.size());
    report.put("receipts missing from PostgreSQL", missing.size());
    long parked = scalar(db, "SELECT count(*) FROM receipt_parked");
    report.put("receipts parked (submit result not seen)", parked);
    // A receipt may stay parked (and become unmatched after an hour) only if its SMSC id is one no part will ever
    // hold: no submit result reported it (the answer died with a server or a link), or the part of the submit
    // result that reported it now holds another SMSC id (a counted resubmit of the same message answered too).
    // Anything else parked should have been matched by its batch or by the sweep within the settle time.
    String hasSubmit = "EXISTS (SELECT 1 FROM receipt_event_log l WHERE l.type = 'submit_result'"
        + " AND l.channel = p.channel AND l.smsc_id = p.smsc_id)";
    long neverReported = scalar(db, "SELECT count(*) FROM receipt_parked p WHERE NOT " + hasSubmit);
    long superseded = scalar(db, "SELECT count(*) FROM receipt_parked p WHERE EXISTS (SELECT 1 FROM receipt_event_log l"
        + " JOIN receipt_part r ON r.message_id = l.message_id AND r.part_index = l.part_index"
        + " WHERE l.type = 'submit_result' AND l.channel = p.channel AND l.smsc_id = p.smsc_id"
        + " AND r.smsc_id IS DISTINCT FROM p.smsc_id)"
        + " AND NOT EXISTS (SELECT 1 FROM receipt_part r WHERE r.channel = p.channel AND r.smsc_id = p.smsc_id)");
    report.put("  of which no submit result ever reported their SMSC id", neverReported);
    report.put("  of which their part now holds a resubmit's SMSC id", superseded);
    long unexplained = parked - neverReported - superseded;
    if (unexplained > 0) {
      report.violation(unexplained + " receipts are parked although their part is known by their SMSC id");
    }
    report.put("receipts unmatched", scalar(db, "SELECT count(*) FROM receipt_unmatched"));
    report.put("receipt_message by status", grouped(db,
        "SELECT status, count(*) FROM receipt_message WHERE campaign_id = ? GROUP BY status", campaignId));
    if (!missing.isEmpty()) {
      report.violation(missing.size() + " acknowledged receipts are not in PostgreSQL, e.g. SMSC ids "
          + missing.subList(0, Math.min(10, missing.size())));
    }
  }

  private void checkPlays(Connection db, FaultReport report) throws SQLException, IOException {
    Set<String> stored = new HashSet<>();
    try (PreparedStatement q = db.prepareStatement("SELECT screen_id, client_play_id FROM led_play");
        ResultSet r = q.executeQuery()) {
      while (r.next()) {
        stored.add(r.getLong(1) + "\t" + r.getString(2));
      }
    }
    long accepted = 0;
    List<String> missing = new ArrayList<>();
    for (Path file : cluster.playFiles) {
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        accepted++;
        if (!stored.contains(line)) {
          missing.add(line);
        }
      }
    }
    report.put("plays accepted (202) by the servers", accepted);
    report.put("plays in PostgreSQL", stored.size());
    report.put("accepted plays missing from PostgreSQL", missing.size());
    if (accepted == 0) {
      report.violation("the screens posted no accepted play: the LED half of the run proved nothing");
    }
    if (!missing.isEmpty()) {
      report.violation(missing.size() + " accepted plays are not in PostgreSQL, e.g. " + missing.subList(0, Math.min(5, missing.size())));
    }
  }

  /** Message ids the connectors resubmitted after an outcome-unknown, per message, from every server's log. */
  private Map<String, Integer> connectorResubmits() throws IOException {
    Map<String, Integer> out = new HashMap<>();
    for (Path log : cluster.serverLogs) {
      if (!Files.exists(log)) {
        continue;
      }
      try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
        lines.forEach(l -> {
          Matcher m = CONNECTOR_RESUBMIT.matcher(l);
          if (m.find()) {
            out.merge(m.group(1), 1, Integer::sum);
          }
        });
      }
    }
    return out;
  }

  private static String e164(String destination) {
    return destination.startsWith("+") ? destination : "+" + destination;
  }

  private static String masked(Set<String> numbers) {
    return numbers.stream().sorted().limit(10).map(PhoneMask::mask).toList().toString();
  }

  private static long scalar(Connection db, String sql, Object... args) throws SQLException {
    try (PreparedStatement q = prepare(db, sql, args); ResultSet r = q.executeQuery()) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  private static Map<String, Long> grouped(Connection db, String sql, Object... args) throws SQLException {
    Map<String, Long> out = new TreeMap<>();
    try (PreparedStatement q = prepare(db, sql, args); ResultSet r = q.executeQuery()) {
      while (r.next()) {
        out.put(r.getString(1), r.getLong(2));
      }
    }
    return out;
  }

  private static PreparedStatement prepare(Connection db, String sql, Object... args) throws SQLException {
    PreparedStatement q = db.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      q.setObject(i + 1, args[i]);
    }
    return q;
  }
}
