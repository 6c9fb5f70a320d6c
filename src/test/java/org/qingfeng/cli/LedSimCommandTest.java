package org.qingfeng.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;
import picocli.CommandLine;

/** led-sim enrols a small fleet, long-polls, shows content, and its plays reach Postgres. */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LedSimCommandTest {

  @Test
  void simulatedFleetPollsShowsAndProvesPlays(TestInfra infra) throws Exception {
    try (QingfengServer server = infra.startServer(); Http http = new Http(server.httpPort())) {
      long group = http.postJson("/api/v1/led/groups", TestInfra.ADMIN_TOKEN,
          new JsonObject().put("name", "sim group").put("kind", "unit").encode()).bodyAsJsonObject().getLong("id");
      assertThat(http.postJson("/api/v1/led/items", TestInfra.ADMIN_TOKEN, new JsonObject().put("text", "风清气正")
          .put("category", "aphorism").put("dwell_s", 2).put("target_groups", new JsonArray().add(group)).encode()).statusCode())
          .isEqualTo(201);
      Path secrets = infra.dataDir().resolve("sim-secrets.txt");
      Path plays = infra.dataDir().resolve("sim-plays.tsv");
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      PrintStream original = System.out;
      int code;
      try {
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        code = new CommandLine(new LedSimCommand()).execute("--screens", "5", "--server", "http://127.0.0.1:" + server.httpPort(),
            "--admin-token", TestInfra.ADMIN_TOKEN, "--group", String.valueOf(group), "--wait", "5", "--speed", "10",
            "--batch", "5", "--duration", "4", "--save-secrets", secrets.toString(), "--plays-file", plays.toString());
      } finally {
        System.setOut(original);
      }
      String out = captured.toString(StandardCharsets.UTF_8);
      assertThat(code).as(out).isZero();
      assertThat(out).contains("enrolled and approved 5 screens").contains("(final)");
      List<String> lines = out.lines().filter(l -> l.startsWith("t=")).toList();
      assertThat(lines.size()).isGreaterThanOrEqualTo(3);
      assertThat(lines.get(lines.size() - 1)).containsPattern("shown=[1-9]").containsPattern("plays_posted=[1-9]")
          .contains("errors=0").contains("plays_refused=0");
      assertThat(Files.readAllLines(secrets)).hasSize(5).allMatch(l -> l.matches("\\d+\\..{43}"));
      assertThat(out).doesNotContain(Files.readAllLines(secrets).get(0).substring(2));

      long stored = 0;
      for (int i = 0; i < 100 && stored == 0; i++) {
        stored = Http.await(server.pool().query("SELECT count(*) FROM led_play").execute()).iterator().next().getLong(0);
        Thread.sleep(100);
      }
      assertThat(stored).isPositive();

      // The plays file lists exactly the plays the server accepted, each of which reaches led_play.
      List<String> accepted = Files.readAllLines(plays);
      String last = lines.get(lines.size() - 1);
      assertThat(accepted).hasSize(Integer.parseInt(last.replaceAll(".*plays_posted=(\\d+).*", "$1")))
          .allMatch(l -> l.matches("\\d+\t.+"));
      long found = 0;
      for (int i = 0; i < 100 && found < accepted.size(); i++) {
        found = 0;
        for (String line : accepted) {
          String[] f = line.split("\t");
          found += Http.await(server.pool().preparedQuery("SELECT count(*) FROM led_play WHERE screen_id = $1 AND client_play_id = $2")
              .execute(Tuple.of(Long.parseLong(f[0]), f[1]))).iterator().next().getLong(0);
        }
        Thread.sleep(100);
      }
      assertThat(found).isEqualTo(accepted.size());

      // A second run reuses the saved secrets instead of enrolling.
      captured.reset();
      try {
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        code = new CommandLine(new LedSimCommand()).execute("--screens", "5", "--server", "http://127.0.0.1:" + server.httpPort(),
            "--secrets", secrets.toString(), "--wait", "0", "--duration", "2");
      } finally {
        System.setOut(original);
      }
      assertThat(code).isZero();
      assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("enrolled").containsPattern("200=5 304=0 errors=0");
    }
  }
}
