package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.qingfeng.db.Database;
import org.qingfeng.sim.SimulatorOptions;
import org.qingfeng.sim.SmscSimulator;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.ServerProcess;
import org.qingfeng.testing.TestInfra;

/**
 * A server process is killed with SIGKILL in the middle of a 20,000-contact blast and another
 * one is started on the same Postgres and Kafka topics. The SMSC (a simulator in this JVM)
 * outlives both: its ledger must hold every expected destination, nothing else, and any
 * destination seen twice must be covered by the outcome-unknown counters.
 */
@QingfengTest
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class CampaignCrashRestartTest {
  private static final int KILL_AFTER_SUBMITS = 3_000;
  private static final String CONNECTOR_UNKNOWN = "qingfeng_smpp_outcome_unknown_total";
  @TempDir Path tmp;

  @Test
  void sigkillMidBlastThenRestartSkipsNobodyAndEveryRepeatIsCounted(TestInfra infra) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (SmscSimulator sim = SmscSimulator.start(new SimulatorOptions().port(0).receiptDelayMs(20))) {
      Path config = tmp.resolve("crash.yaml");
      Files.writeString(config, "sms:\n  channels:\n    - name: crashsim\n      host: 127.0.0.1\n      port: " + sim.port()
          + "\n      system_id: qingfeng\n      password_env: QF_CRASH_SMSC_PASSWORD\n      window: 50\n");
      Map<String, String> env = new HashMap<>(infra.serverEnv(Map.of(
          // The sweep finds the killed sender's in-flight messages quickly (outcome unknown, requeued).
          "QINGFENG_CAMPAIGN_SUBMITTING_TIMEOUT_SECONDS", "5",
          "QINGFENG_CAMPAIGN_SCHEDULER_LOCK_RETRY_MS", "500")));
      env.put("QF_CRASH_SMSC_PASSWORD", "secret");
      int port = ServerProcess.freePort();

      double connectorUnknown;
      long id;
      BlastScenario scenario;
      String operator;
      int submitsAtKill;
      try (ServerProcess first = ServerProcess.start(env, port, tmp.resolve("first.log"), "-Xmx384m", "--config",
          config.toString())) {
        first.awaitReady(Duration.ofSeconds(120));
        Pool pool = Database.pool(vertx, infra.database(), 2);
        scenario = new BlastScenario(pool, "cadre");
        Http.await(pool.close());
        try (Http http = new Http(port)) {
          operator = CampaignFixtures.token(http, "operator", "op");
          String approver = CampaignFixtures.token(http, "approver", "ap");
          Instant sendAt = Instant.now().plusSeconds(2);
          id = CampaignFixtures.approved(http, operator, approver, CampaignFixtures.campaign("春节廉洁短信",
              OffsetDateTime.ofInstant(sendAt, ZoneOffset.ofHours(8)).toString(), CampaignFixtures.tagged("cadre"))
              .put("max_rate", 10_000));
        }
        CampaignFixtures.await(KILL_AFTER_SUBMITS + " submits at the SMSC", Duration.ofSeconds(180),
            () -> sim.ledger().submits() >= KILL_AFTER_SUBMITS);
        connectorUnknown = first.metric(CONNECTOR_UNKNOWN);
        first.kill();
        submitsAtKill = sim.ledger().submits();
      }
      assertThat(submitsAtKill).as("killed mid-blast").isLessThan(scenario.expected.size());

      try (ServerProcess second = ServerProcess.start(env, port, tmp.resolve("second.log"), "-Xmx384m", "--config",
          config.toString()); Http http = new Http(port)) {
        second.awaitReady(Duration.ofSeconds(120));
        CampaignFixtures.await("campaign completed after the restart", Duration.ofSeconds(240),
            () -> "completed".equals(CampaignFixtures.status(http, operator, id)));
        connectorUnknown += second.metric(CONNECTOR_UNKNOWN);
        JsonObject details = CampaignFixtures.get(http, "/api/v1/campaigns/" + id, operator);
        scenario.assertCounted(details);
        int campaignUnknown = details.getJsonObject("progress").getInteger("outcome_unknown");

        Pool pool = Database.pool(vertx, infra.database(), 1);
        long messageUnknown = CampaignFixtures.scalar(pool,
            "SELECT coalesce(sum(outcome_unknown), 0) FROM message WHERE campaign_id = $1", id);
        Http.await(pool.close());
        assertThat(messageUnknown).as("message.outcome_unknown adds up to campaign.outcome_unknown")
            .isEqualTo(campaignUnknown);

        Map<String, AtomicInteger> perDestination = new HashMap<>();
        sim.ledger().submitsPerDestination().forEach((dest, n) -> perDestination.put("+" + dest, new AtomicInteger(n)));
        assertThat(perDestination.keySet()).as("every expected destination reached, nothing else")
            .isEqualTo(scenario.expected);
        int duplicates = perDestination.values().stream().mapToInt(n -> n.get() - 1).sum();
        System.out.printf("crash test: killed at %d submits; %d repeated submits; outcome unknown: campaign %d, "
            + "connector %.0f%n", submitsAtKill, duplicates, campaignUnknown, connectorUnknown);
        assertThat((double) duplicates).as("repeats are all counted outcome-unknown resubmits")
            .isLessThanOrEqualTo(campaignUnknown + connectorUnknown);
      }
    } finally {
      Http.await(vertx.close());
    }
  }
}
