import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Alert fan-out for scripts/bench/led-poll.sh: S screens (enrolled and approved here), C
 * long-polling connections spread over them, one alert raised; prints how long until every
 * held poll was answered with the alert first.
 * Run: java -cp target/qingfeng.jar scripts/bench/AlertFanout.java PORT ADMIN_TOKEN SCREENS CONNECTIONS
 */
public class AlertFanout {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String admin = "Bearer " + args[1];
    int screens = Integer.parseInt(args[2]);
    int connections = Integer.parseInt(args[3]);
    Vertx vertx = Vertx.vertx();
    WebClient web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true).setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(connections + 64).setMaxWaitQueueSize(-1));
    String run = Long.toString(System.currentTimeMillis(), 36);
    long group = await(web.post("/api/v1/led/groups").putHeader("Authorization", admin)
        .sendJsonObject(new JsonObject().put("name", "fanout " + run).put("kind", "corridor"))).bodyAsJsonObject().getLong("id");
    long t0 = System.nanoTime();
    List<String> creds = new ArrayList<>();
    for (int from = 0; from < screens; from += 200) {
      List<Future<String>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(screens, from + 200); i++) {
        JsonObject e = new JsonObject().put("hardware_key", "fan-" + run + "-" + i).put("name", "fan " + i)
            .put("width", 128).put("height", 32).put("colour_mode", "mono");
        batch.add(web.post("/led/v1/enroll").sendJsonObject(e).compose(r -> {
          long id = r.bodyAsJsonObject().getLong("screen_id");
          return web.patch("/api/v1/led/screens/" + id).putHeader("Authorization", admin)
              .sendJsonObject(new JsonObject().put("groups", new JsonArray().add(group)))
              .compose(v -> web.post("/api/v1/led/screens/" + id + "/approve").putHeader("Authorization", admin).send())
              .map(a -> id + "." + a.bodyAsJsonObject().getString("secret"));
        }));
      }
      await(Future.all(new ArrayList<>(batch)));
      batch.forEach(f -> creds.add(f.result()));
    }
    System.out.printf("enrolled and approved %d screens in %d ms%n", screens, (System.nanoTime() - t0) / 1_000_000);

    List<String> etags = new ArrayList<>();
    for (String c : creds) {
      etags.add(await(web.get("/led/v1/playlist").putHeader("Authorization", "Bearer " + c).send()).getHeader("ETag"));
    }
    AtomicLong answered = new AtomicLong();
    AtomicLong withAlertFirst = new AtomicLong();
    AtomicLong lastAnswerNs = new AtomicLong();
    List<Future<HttpResponse<Buffer>>> polls = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      int s = i % screens;
      polls.add(web.get("/led/v1/playlist?wait=60").putHeader("Authorization", "Bearer " + creds.get(s))
          .putHeader("If-None-Match", etags.get(s)).timeout(120_000).send().onSuccess(r -> {
            // The whole response has arrived: note the time; its body is checked once all are in,
            // so parsing 10,000 bodies on the client's loops does not delay reading the later ones.
            lastAnswerNs.accumulateAndGet(System.nanoTime(), Math::max);
            answered.incrementAndGet();
          }));
    }
    for (int i = 0; i < 600; i++) {
      int held = await(web.get("/api/v1/led/health").putHeader("Authorization", admin).send()).bodyAsJsonObject()
          .getInteger("long_polls_held_here");
      if (held >= connections) {
        break;
      }
      Thread.sleep(100);
    }
    System.out.printf("holding %d long-polls; answered early: %d%n", connections, answered.get());
    long raised = System.nanoTime();
    await(web.post("/api/v1/led/alerts").putHeader("Authorization", admin).sendJsonObject(new JsonObject()
        .put("text", "紧急通知 fan-out " + run).put("target_groups", new JsonArray().add(group)).put("ttl_s", 120)));
    long acked = System.nanoTime();
    await(Future.join(new ArrayList<>(polls)));
    for (Future<HttpResponse<Buffer>> f : polls) {
      HttpResponse<Buffer> r = f.result();
      if (r != null && r.statusCode() == 200
          && "alert".equals(r.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("kind"))) {
        withAlertFirst.incrementAndGet();
      }
    }
    System.out.printf("alert POST answered in %d ms; all %d long-polls answered %d ms after the POST was sent; "
            + "%d of them with the alert first%n", (acked - raised) / 1_000_000, answered.get(),
        (lastAnswerNs.get() - raised) / 1_000_000, withAlertFirst.get());
    System.out.printf("FANOUT_MS=%d FANOUT_OK=%d%n", (lastAnswerNs.get() - raised) / 1_000_000, withAlertFirst.get());
    vertx.close();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
  }
}
