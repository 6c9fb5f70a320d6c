package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.receipts.ReceiptTestKit.await;
import static org.qingfeng.receipts.ReceiptTestKit.count;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.db.Database;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/**
 * The CSV export reads a campaign's messages through one cursor (receipt_message has no B-tree by
 * campaign): every message of the campaign once, in id order, none of another campaign; a bounded
 * number of exports at once, each giving its connection back when its client goes away.
 */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReceiptCsvExportTest {
  static final int MESSAGES = 80_000;
  /** In-progress exports show as a backend idle in a transaction whose last query is the cursor's. */
  static final String HELD = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
      + " AND state = 'idle in transaction' AND query LIKE '%FROM receipt_message WHERE campaign_id%'";

  @Test
  void streamsEveryMessageOfTheCampaignInIdOrderAndBoundsConcurrentExports(TestInfra infra) throws Exception {
    try (QingfengServer server = infra.startServer(Map.of("QINGFENG_ROLES", "api"));
        Http http = new Http(server.httpPort())) {
      Vertx vertx = Vertx.vertx();
      try {
        Pool pool = Database.pool(vertx, infra.database(), 2);
        // Campaign 7 and, interleaved in the same block ranges, campaign 8 (every tenth message).
        await(pool.query("INSERT INTO receipt_message (message_id, campaign_id, channel, parts, parts_delivered,"
            + " parts_failed, status, error_code, submitted_at, final_at, done_at)"
            + " SELECT 'm' || lpad(g::text, 6, '0'), CASE WHEN g % 10 = 0 THEN 8 ELSE 7 END, 'sim', 1,"
            + " CASE WHEN g % 7 = 0 THEN 0 ELSE 1 END, CASE WHEN g % 7 = 0 THEN 1 ELSE 0 END,"
            + " CASE WHEN g % 7 = 0 THEN 'failed' ELSE 'delivered' END, CASE WHEN g % 7 = 0 THEN '0x00000001' END,"
            + " timestamptz '2026-12-07 08:00:00+00' + g * interval '1 ms', timestamptz '2026-12-07 08:01:00+00',"
            + " timestamptz '2026-12-07 08:01:00+00' FROM generate_series(" + MESSAGES + ", 1, -1) g").execute());
        long ofSeven = count(pool, "SELECT count(*) FROM receipt_message WHERE campaign_id = 7");

        String csv = http.get("/api/v1/campaigns/7/messages.csv", TestInfra.ADMIN_TOKEN).bodyAsString();
        String[] lines = csv.split("\n");
        assertThat(lines[0]).isEqualTo(ReceiptRoutes.CSV_HEADER.trim());
        assertThat(lines).hasSize((int) ofSeven + 1);
        List<String> expected = new ArrayList<>();
        for (Row r : await(pool.query("SELECT message_id, status, coalesce(error_code, '') FROM receipt_message"
            + " WHERE campaign_id = 7 ORDER BY message_id").execute())) {
          expected.add(r.getString(0) + "," + r.getString(1) + "," + r.getString(2));
        }
        List<String> got = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
          String[] f = lines[i].split(",", -1);
          got.add(f[0] + "," + f[4] + "," + f[5]);
        }
        assertThat(got).isEqualTo(expected);
        assertThat(lines[1]).isEqualTo("m000001,sim,,1,delivered,,2026-12-07T08:00:00.001Z,2026-12-07T08:01:00Z,"
            + "2026-12-07T08:01:00Z");
        ReceiptTestKit.waitUntil("the export's connection is back", 10_000, () -> count(pool, HELD) == 0);

        // Two clients that read nothing hold the two exports (and their connections); a third is refused.
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < ReceiptRoutes.MAX_EXPORTS; i++) {
          stalled.add(request(server.httpPort(), "/api/v1/campaigns/7/messages.csv"));
        }
        ReceiptTestKit.waitUntil("two exports held by clients that read nothing", 20_000,
            () -> count(pool, HELD) == ReceiptRoutes.MAX_EXPORTS);
        HttpResponse<Buffer> refused = http.get("/api/v1/campaigns/7/messages.csv", TestInfra.ADMIN_TOKEN);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.getHeader("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.getHeader("Retry-After")).isEqualTo("10");
        assertThat(refused.bodyAsJsonObject().getString("detail")).contains("CSV exports are running");

        // Clients gone: their exports end and give their connections back; an export runs again.
        for (Socket s : stalled) {
          s.close();
        }
        ReceiptTestKit.waitUntil("the stalled exports' connections are back", 20_000, () -> count(pool, HELD) == 0);
        assertThat(http.get("/api/v1/campaigns/8/messages.csv", TestInfra.ADMIN_TOKEN).bodyAsString().split("\n"))
            .hasSize((int) (MESSAGES - ofSeven) + 1);
        assertThat(http.get("/api/v1/campaigns/9/messages.csv", TestInfra.ADMIN_TOKEN).bodyAsString())
            .isEqualTo(ReceiptRoutes.CSV_HEADER);
      } finally {
        await(vertx.close());
      }
    }
  }

  /** Sends a GET and never reads the answer (a small receive window, so the server's writes back up soon). */
  private static Socket request(int port, String path) throws Exception {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    OutputStream out = s.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestInfra.ADMIN_TOKEN
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }
}
