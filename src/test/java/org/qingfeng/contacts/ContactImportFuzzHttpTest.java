package org.qingfeng.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * A few of {@link ContactCsvPropertyTest}'s generated files through the real endpoint (the many
 * tries run against the parsing layer): every data row is imported, updated, merged or rejected
 * with its line, and the contact table holds exactly the accepted numbers.
 */
@QingfengTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ContactImportFuzzHttpTest {
  static QingfengServer server;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void generatedFilesAreCountedRowByRowOverHttp() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<ContactCsvPropertyTest.CsvFile> files = new ContactCsvPropertyTest().files().sampleStream().limit(12).toList();
    java.util.Set<String> accepted = new java.util.HashSet<>();
    for (ContactCsvPropertyTest.CsvFile file : files) {
      String query = file.forced() == null ? "" : "?charset=gb18030";
      HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
              + "/api/v1/contacts/import" + query)).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + TestInfra.ADMIN_TOKEN).header("Content-Type", "text/csv")
          .POST(HttpRequest.BodyPublishers.ofByteArray(file.bytes())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).as("%s -> %s", file, res.body()).isEqualTo(200);
      JsonObject report = new JsonObject(res.body());
      int rows = file.rows().size();
      assertThat(report.getLong("rows")).isEqualTo(rows);
      assertThat(report.getLong("imported") + report.getLong("updated") + report.getLong("merged") + report.getLong("rejected"))
          .as(res.body()).isEqualTo(rows);
      List<Long> expectedLines = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        ContactCsvPropertyTest.Row r = file.rows().get(i);
        if (r.shouldBeRejected()) {
          expectedLines.add(file.lines().get(i));
        } else {
          accepted.add("+86" + r.phone());
        }
      }
      List<Long> lines = new ArrayList<>();
      report.getJsonArray("rejections").forEach(o -> lines.add(((JsonObject) o).getLong("line")));
      assertThat(lines).isEqualTo(expectedLines);
    }
    long stored = org.qingfeng.testing.Http.await(server.pool().query("SELECT count(*) FROM contact").execute())
        .iterator().next().getLong(0);
    assertThat(stored).isEqualTo(accepted.size());
  }
}
