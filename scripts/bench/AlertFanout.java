import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Alert fan-out for scripts/bench/led-poll.sh: S screens (enrolled and approved here), C
 * long-polling connections spread over them, one alert raised; prints how long until every
 * held poll was answered with the alert first. The polls are spread over one client event loop
 * per core.
 * A second alert on the same connections gives the figure for a server whose fan-out code the
 * JIT has compiled (ROUNDS=1 skips it).
 * Run: java -cp target/qingfeng.jar scripts/bench/AlertFanout.java PORT ADMIN_TOKEN SCREENS CONNECTIONS [ROUNDS=2]
 */
public class AlertFanout {
  public static void main(String[] args) throws Exception {
    // Vert.x threads are not daemons: a failed run must still end (the script waits for it).
    int status = 0;
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  static void run(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String admin = "Bearer " + args[1];
    int screens = Integer.parseInt(args[2]);
    int connections = Integer.parseInt(args[3]);
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 2;
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    WebClient web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true).setKeepAliveTimeout(30).setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(connections + 64).setMaxWaitQueueSize(-1));
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

    // The long-polls are spread over one client event loop per core. Sent from this (non-Vert.x)
    // thread they would all sit on its one sticky event loop, and a single client thread reading
    // 10,000 answers was part of what the fan-out measured.
    int loops = Runtime.getRuntime().availableProcessors();
    List<Poller> pollers = new ArrayList<>();
    for (int l = 0; l < loops; l++) {
      Poller p = new Poller(port);
      await(vertx.deployVerticle(p));
      pollers.add(p);
    }
    // The first alert is the figure: a fresh server answering long-polls for the first time, its
    // fan-out code not yet compiled by the JIT (only its ordinary 200 answers have run, once per
    // connection, as every controller's first poll). The second, on the same
    // connections, is what a running server does for every later alert; both are printed.
    long[] first = round(web, admin, group, run, "", creds, pollers, connections);
    System.out.printf("FANOUT_MS=%d FANOUT_OK=%d FANOUT_AFTER_ACK_MS=%d%n", first[0], first[1], first[2]);
    if (rounds > 1) {
      long[] second = round(web, admin, group, run, " (second alert)", creds, pollers, connections);
      System.out.printf("FANOUT_WARM_MS=%d FANOUT_WARM_OK=%d FANOUT_WARM_AFTER_ACK_MS=%d%n", second[0], second[1], second[2]);
    }
  }

  /** Holds the long-polls, raises one alert and times the answers: {last after POST sent, with alert first, last after 201}. */
  static long[] round(WebClient web, String admin, long group, String run, String label, List<String> creds,
      List<Poller> pollers, int connections) throws Exception {
    int screens = creds.size();
    int loops = pollers.size();
    // Each connection first polls as a controller does (a 200 with the playlist and its ETag) and
    // then long-polls with that ETag on the same keep-alive connection. Besides being what real
    // controllers do, this compiles the client's own answer-reading code before the alert: the
    // client shares the machine's two cores with the server, and its JIT is not the server's cost.
    String[] etags = new String[connections];
    List<Future<String>> fetched = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      int n = i;
      Poller p = pollers.get(i % loops);
      Promise<String> etag = Promise.promise();
      p.context().runOnContext(v -> p.fetch(creds.get(n % screens)).onSuccess(t -> etags[n] = t).onComplete(etag));
      fetched.add(etag.future());
    }
    await(Future.all(new ArrayList<>(fetched)));
    long[] arrivedAt = new long[connections];
    List<Future<Buffer>> polls = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      int n = i;
      int s = i % screens;
      Poller p = pollers.get(i % loops);
      Promise<Buffer> answer = Promise.promise();
      // One task per poll on its loop (not one task sending thousands), so the loop keeps
      // connecting and reading between them.
      p.context().runOnContext(v -> p.poll(creds.get(s), etags[n]).onSuccess(b -> {
        // The whole answer has arrived (this loop's thread): note the time; bodies are checked
        // once all are in, so parsing does not delay reading the later answers.
        arrivedAt[n] = System.nanoTime();
      }).onComplete(answer));
      polls.add(answer.future());
    }
    for (int i = 0; i < 600; i++) {
      int held = await(web.get("/api/v1/led/health").putHeader("Authorization", admin).send()).bodyAsJsonObject()
          .getInteger("long_polls_held_here");
      if (held >= connections) {
        break;
      }
      Thread.sleep(100);
    }
    System.out.printf("holding %d long-polls on %d client event loops%s; answered early: %d%n", connections, loops, label,
        polls.stream().filter(Future::isComplete).count());
    long raised = System.nanoTime();
    await(web.post("/api/v1/led/alerts").putHeader("Authorization", admin).sendJsonObject(new JsonObject()
        .put("text", "紧急通知 fan-out " + run + label).put("target_groups", new JsonArray().add(group)).put("ttl_s", 120)));
    long acked = System.nanoTime();
    await(Future.join(new ArrayList<>(polls)));
    long[] arrivals = java.util.Arrays.stream(arrivedAt).filter(t -> t != 0).sorted().toArray();
    long withAlertFirst = 0;
    for (Future<Buffer> f : polls) {
      if (f.succeeded() && "alert".equals(new JsonObject(f.result()).getJsonArray("items").getJsonObject(0).getString("kind"))) {
        withAlertFirst++;
      }
    }
    long last = arrivals.length == 0 ? raised : arrivals[arrivals.length - 1];
    System.out.printf("alert POST%s answered in %d ms; all %d long-polls answered %d ms after the POST was sent "
            + "(%d ms after its answer; first %d ms, median %d ms); %d of them with the alert first%n",
        label, (acked - raised) / 1_000_000, arrivals.length, (last - raised) / 1_000_000, (last - acked) / 1_000_000,
        arrivals.length == 0 ? -1 : (arrivals[0] - raised) / 1_000_000,
        arrivals.length == 0 ? -1 : (arrivals[arrivals.length / 2] - raised) / 1_000_000, withAlertFirst);
    return new long[] {(last - raised) / 1_000_000, withAlertFirst, (last - acked) / 1_000_000};
  }

  /** One client event loop with its own HTTP client, one connection per held poll. */
  static final class Poller extends VerticleBase {
    final int port;
    HttpClient client;

    Poller(int port) {
      this.port = port;
    }

    io.vertx.core.Context context() {
      return context;
    }

    @Override
    public Future<?> start() {
      client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setIdleTimeout(0),
          new PoolOptions().setHttp1MaxSize(20_000).setMaxWaitQueueSize(-1));
      return Future.succeededFuture();
    }

    /** A plain poll: the playlist's ETag, after reading the whole body. */
    Future<String> fetch(String cred) {
      return client.request(new RequestOptions().setHost("127.0.0.1").setPort(port)
              .setURI("/led/v1/playlist").putHeader("Authorization", "Bearer " + cred))
          .compose(req -> req.send())
          .compose(resp -> resp.statusCode() != 200 ? Future.failedFuture("status " + resp.statusCode())
              : resp.body().map(b -> resp.getHeader("ETag")));
    }

    Future<Buffer> poll(String cred, String etag) {
      return client.request(new RequestOptions().setHost("127.0.0.1").setPort(port)
              .setURI("/led/v1/playlist?wait=60").putHeader("Authorization", "Bearer " + cred)
              .putHeader("If-None-Match", etag).setIdleTimeout(120_000))
          .compose(req -> req.send())
          .compose(resp -> resp.statusCode() == 200 ? resp.body() : Future.failedFuture("status " + resp.statusCode()));
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
  }
}
