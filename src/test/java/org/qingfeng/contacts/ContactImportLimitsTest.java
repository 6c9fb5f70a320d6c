package org.qingfeng.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/** Bodies beyond http.upload-limit and files beyond contacts.import-max-rows: 413, nothing written. */
@QingfengTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContactImportLimitsTest {
  static final int LIMIT = 64 * 1024;
  static QingfengServer server;
  static ContactApi api;
  static String operator;

  @BeforeAll
  static void start(TestInfra infra) throws Exception {
    server = infra.startServer(Map.of(
        "QINGFENG_HTTP_UPLOAD_LIMIT", Integer.toString(LIMIT),
        "QINGFENG_CONTACTS_IMPORT_MAX_ROWS", "1000",
        "QINGFENG_CONTACTS_IMPORT_BATCH_SIZE", "100"));
    api = new ContactApi(server.httpPort());
    operator = api.createToken("operator");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  static long contacts() {
    return ContactApi.count(server.pool(), "SELECT count(*) FROM contact");
  }

  static byte[] rows(int from, int to, int pad) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      b.append(String.format("1380001%04d,%s\n", i, "x".repeat(pad)));
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void declaredLengthBeyondTheLimitIs413BeforeReading() {
    byte[] body = ContactImportTest.concat("phone,name\n".getBytes(StandardCharsets.UTF_8), rows(0, 900, 70));
    assertThat(body.length).isGreaterThan(LIMIT);
    HttpResponse<Buffer> res = api.importCsv(operator, null, body);
    assertThat(res.statusCode()).isEqualTo(413);
    assertThat(res.bodyAsJsonObject().getString("detail")).contains("http.upload-limit");
    assertThat(contacts()).isZero();
  }

  @Test
  void chunkedBodyGrowingBeyondTheLimitIs413AndRollsBackWrittenBatches() {
    // Chunked (no Content-Length): the limit is found mid-stream, after several batches were upserted.
    Iterator<byte[]> pieces = IntStream.range(0, 40).mapToObj(k -> k == 0
        ? ContactImportTest.concat("phone,name\n".getBytes(StandardCharsets.UTF_8), rows(0, 25, 70))
        : rows(k * 25, k * 25 + 25, 70)).iterator();
    HttpResponse<Buffer> res = api.importChunked(operator, pieces);
    assertThat(res.statusCode()).isEqualTo(413);
    assertThat(contacts()).isZero();
    // The server still serves normally afterwards.
    assertThat(api.importCsv(operator, null, "phone\n13800019999\n".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    ContactApi.await(server.pool().query("DELETE FROM contact").execute());
  }

  @Test
  void moreRowsThanAllowedIs413AndNothingWritten() {
    byte[] body = ContactImportTest.concat("phone\n".getBytes(StandardCharsets.UTF_8), rows(0, 1001, 0));
    assertThat(body.length).isLessThan(LIMIT);
    HttpResponse<Buffer> res = api.importCsv(operator, null, body);
    assertThat(res.statusCode()).isEqualTo(413);
    assertThat(res.bodyAsJsonObject().getString("detail")).contains("1000");
    assertThat(contacts()).isZero();

    byte[] exactly = ContactImportTest.concat("phone\n".getBytes(StandardCharsets.UTF_8), rows(0, 1000, 0));
    assertThat(api.importCsv(operator, null, exactly).bodyAsJsonObject().getLong("imported")).isEqualTo(1000);
    ContactApi.await(server.pool().query("DELETE FROM contact").execute());
  }
}
