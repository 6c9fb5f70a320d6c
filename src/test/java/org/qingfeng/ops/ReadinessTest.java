package org.qingfeng.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.qingfeng.app.EmbeddedPostgresService;
import org.qingfeng.app.PostgresUrl;
import org.qingfeng.app.QingfengServer;
import org.qingfeng.testing.Http;
import org.qingfeng.testing.QingfengTest;
import org.qingfeng.testing.TestInfra;

/** Readiness follows Postgres: it gets a Postgres of its own so stopping it disturbs no other test. */
@QingfengTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadinessTest {
  @TempDir Path tmp;

  @Test
  void readinessTurns503WhenPostgresStopsAndRecoversWhenItReturns(TestInfra infra) throws Exception {
    EmbeddedPostgresService pg = new EmbeddedPostgresService(tmp, 0, false).start();
    PostgresUrl url = pg.url();
    try (QingfengServer server = infra.startServer(Map.of(
            "QINGFENG_POSTGRES_URL", "postgresql://postgres@127.0.0.1:" + url.port + "/" + url.database));
        Http http = new Http(server.httpPort())) {
      HttpResponse<Buffer> up = http.get("/health/ready", null);
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.bodyAsJsonObject().getJsonObject("checks").getString("postgres")).isEqualTo("UP");
      assertThat(up.bodyAsJsonObject().getJsonObject("checks").getString("kafka")).isEqualTo("UP");

      pg.stop();
      HttpResponse<Buffer> down = http.get("/health/ready", null);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.getHeader("Content-Type")).isEqualTo("application/problem+json");
      JsonObject problem = down.bodyAsJsonObject();
      assertThat(problem.getString("detail")).startsWith("postgres");
      assertThat(problem.getJsonObject("checks").getString("postgres")).startsWith("DOWN");
      assertThat(problem.getJsonObject("checks").getString("kafka")).isEqualTo("UP");
      assertThat(http.get("/health/live", null).statusCode()).isEqualTo(200);

      pg.start();
      int status = 0;
      for (int i = 0; i < 40 && status != 200; i++) {
        status = http.get("/health/ready", null).statusCode();
        if (status != 200) {
          Thread.sleep(250);
        }
      }
      assertThat(status).isEqualTo(200);
    } finally {
      pg.stop();
    }
  }
}
