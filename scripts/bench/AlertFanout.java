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
 * Run: java -cp target/qingfeng.jar scripts/bench/AlertFanout.java PORT ADMIN_TOKEN SCREENS CONNECTIONS [ROUNDS=2] [CLIENT=nio]
 *
 * <p>CLIENT picks what holds the long-polls. "vertx" (the client until 2026-12-06): a Vert.x
 * HttpClient, one per core. It used 83-142 % of one of the machine's two cores during a fan-out,
 * CPU the server under test then did not have. "nio" (the default): one thread, one selector and
 * a plain HTTP/1.1 reader over the same 10,000 keep-alive connections, doing the same checks: each
 * connection first gets a 200 with its playlist and ETag, then long-polls with that ETag; an
 * answer counts when its whole body has arrived, and after the round every answer must be a 200
 * whose JSON lists an alert as its first item. Enrolment, the alert POST and the held count still
 * use the Vert.x WebClient.
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
    boolean nio = !(args.length > 5 && args[5].equals("vertx"));
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
    int loops = nio ? 0 : Runtime.getRuntime().availableProcessors();
    List<Poller> pollers = new ArrayList<>();
    NioPolls nioPolls = nio ? new NioPolls(port, connections) : null;
    for (int l = 0; l < loops; l++) {
      Poller p = new Poller(port);
      await(vertx.deployVerticle(p));
      pollers.add(p);
    }
    // The first alert is the figure: a fresh server answering long-polls for the first time, its
    // fan-out code not yet compiled by the JIT (only its ordinary 200 answers have run, once per
    // connection, as every controller's first poll). The second, on the same
    // connections, is what a running server does for every later alert; both are printed.
    System.out.println("fan-out client: " + (nio ? "nio (one thread, one selector)" : "vertx (HttpClient, one loop per core)"));
    long[] first = nio ? nioPolls.round(web, admin, group, run, "", creds)
        : round(web, admin, group, run, "", creds, pollers, connections);
    System.out.printf("FANOUT_MS=%d FANOUT_OK=%d FANOUT_AFTER_ACK_MS=%d%n", first[0], first[1], first[2]);
    if (rounds > 1) {
      long[] second = nio ? nioPolls.round(web, admin, group, run, " (second alert)", creds)
          : round(web, admin, group, run, " (second alert)", creds, pollers, connections);
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
    awaitHeld(web, admin, connections);
    System.out.printf("holding %d long-polls on %d client event loops%s; answered early: %d%n", connections, loops, label,
        polls.stream().filter(Future::isComplete).count());
    long raised = System.nanoTime();
    raise(web, admin, group, run, label);
    long acked = System.nanoTime();
    await(Future.join(new ArrayList<>(polls)));
    long withAlertFirst = 0;
    for (Future<Buffer> f : polls) {
      if (f.succeeded() && alertFirst(f.result().toString())) {
        withAlertFirst++;
      }
    }
    return report(label, raised, acked, arrivedAt, withAlertFirst);
  }

  static void awaitHeld(WebClient web, String admin, int connections) throws Exception {
    for (int i = 0; i < 600; i++) {
      int held = await(web.get("/api/v1/led/health").putHeader("Authorization", admin).send()).bodyAsJsonObject()
          .getInteger("long_polls_held_here");
      if (held >= connections) {
        break;
      }
      Thread.sleep(100);
    }
  }

  static void raise(WebClient web, String admin, long group, String run, String label) throws Exception {
    await(web.post("/api/v1/led/alerts").putHeader("Authorization", admin).sendJsonObject(new JsonObject()
        .put("text", "紧急通知 fan-out " + run + label).put("target_groups", new JsonArray().add(group)).put("ttl_s", 120)));
  }

  static boolean alertFirst(String body) {
    return "alert".equals(new JsonObject(body).getJsonArray("items").getJsonObject(0).getString("kind"));
  }

  /** Prints the round and returns {last after POST sent, with alert first, last after 201} in ms. */
  static long[] report(String label, long raised, long acked, long[] arrivedAt, long withAlertFirst) {
    long[] arrivals = java.util.Arrays.stream(arrivedAt).filter(t -> t != 0).sorted().toArray();
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

  /**
   * The long-polls held by one thread over plain sockets: the lighter client (see the class
   * comment). Connections stay open across rounds, as the Vert.x client's do.
   */
  static final class NioPolls {
    final int port;
    final Conn[] conns;
    final java.nio.channels.Selector selector;
    final java.nio.ByteBuffer in = java.nio.ByteBuffer.allocateDirect(256 * 1024);
    // Counted as they change: scanning 10,000 connections after every select would be the client's main cost.
    int answered;
    int unsent;

    NioPolls(int port, int connections) throws Exception {
      this.port = port;
      this.conns = new Conn[connections];
      this.selector = java.nio.channels.Selector.open();
    }

    /** One keep-alive connection: its request to send and the answer being read. */
    static final class Conn {
      java.nio.channels.SocketChannel ch;
      java.nio.ByteBuffer out;
      byte[] buf = new byte[4096];
      int len;
      int status;
      String etag;
      String body;
      long arrivedAt;
      boolean done;
    }

    long[] round(WebClient web, String admin, long group, String run, String label, List<String> creds) throws Exception {
      int n = conns.length;
      int screens = creds.size();
      // The controller's first poll on each connection: a 200 with its playlist and ETag.
      for (int i = 0; i < n; i++) {
        if (conns[i] == null) {
          conns[i] = new Conn();
        }
        send(conns[i], "GET /led/v1/playlist HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + creds.get(i % screens) + "\r\n\r\n");
      }
      runUntilDone(n, 300_000);
      for (Conn c : conns) {
        if (c.status != 200 || c.etag == null) {
          throw new IllegalStateException("first poll answered " + c.status);
        }
      }
      for (int i = 0; i < n; i++) {
        send(conns[i], "GET /led/v1/playlist?wait=60 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + creds.get(i % screens) + "\r\nIf-None-Match: " + conns[i].etag + "\r\n\r\n");
      }
      // Send the long-polls on this thread, then wait for the server to hold them all.
      runUntilSent(300_000);
      awaitHeld(web, admin, n);
      int early = 0;
      for (Conn c : conns) {
        early += c.done ? 1 : 0;
      }
      System.out.printf("holding %d long-polls on 1 client thread (nio)%s; answered early: %d%n", n, label, early);
      // The alert is raised from another thread while this one reads the answers as they come.
      long[] times = new long[2];
      Thread raiser = new Thread(() -> {
        try {
          times[0] = System.nanoTime();
          raise(web, admin, group, run, label);
          times[1] = System.nanoTime();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      raiser.start();
      runUntilDone(n, 120_000);
      raiser.join();
      long[] arrivedAt = new long[n];
      long withAlertFirst = 0;
      for (int i = 0; i < n; i++) {
        Conn c = conns[i];
        arrivedAt[i] = c.status == 200 ? c.arrivedAt : 0;
        if (c.status == 200 && alertFirst(c.body)) {
          withAlertFirst++;
        }
      }
      return report(label, times[0], times[1], arrivedAt, withAlertFirst);
    }

    private void send(Conn c, String request) throws Exception {
      c.out = java.nio.ByteBuffer.wrap(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      unsent++;
      if (c.done) {
        answered--;
      }
      c.len = 0;
      c.status = 0;
      c.body = null;
      c.done = false;
      c.arrivedAt = 0;
      if (c.ch == null) {
        c.ch = java.nio.channels.SocketChannel.open();
        c.ch.configureBlocking(false);
        c.ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        c.ch.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        c.ch.register(selector, java.nio.channels.SelectionKey.OP_CONNECT, c);
      } else {
        c.ch.keyFor(selector).interestOps(java.nio.channels.SelectionKey.OP_WRITE | java.nio.channels.SelectionKey.OP_READ);
      }
    }

    private void runUntilSent(long maxMs) throws Exception {
      long end = System.currentTimeMillis() + maxMs;
      while (true) {
        if (unsent == 0) {
          return;
        }
        if (System.currentTimeMillis() > end) {
          throw new IllegalStateException("long-polls not sent in time");
        }
        step(100);
      }
    }

    private void runUntilDone(int n, long maxMs) throws Exception {
      long end = System.currentTimeMillis() + maxMs;
      while (true) {
        if (answered == n) {
          return;
        }
        if (System.currentTimeMillis() > end) {
          throw new IllegalStateException("only " + answered + " of " + n + " answers in time");
        }
        step(100);
      }
    }

    private void step(long timeoutMs) throws Exception {
      if (selector.select(timeoutMs) == 0) {
        return;
      }
      var keys = selector.selectedKeys();
      for (var key : keys) {
        Conn c = (Conn) key.attachment();
        if (key.isConnectable()) {
          c.ch.finishConnect();
          key.interestOps(java.nio.channels.SelectionKey.OP_WRITE | java.nio.channels.SelectionKey.OP_READ);
        }
        if (key.isValid() && key.isWritable() && c.out != null) {
          c.ch.write(c.out);
          if (!c.out.hasRemaining()) {
            c.out = null;
            unsent--;
            key.interestOps(java.nio.channels.SelectionKey.OP_READ);
          }
        }
        if (key.isValid() && key.isReadable()) {
          read(c, key);
        }
      }
      keys.clear();
    }

    private void read(Conn c, java.nio.channels.SelectionKey key) throws Exception {
      while (true) {
        in.clear();
        int r = c.ch.read(in);
        if (r < 0) {
          key.cancel();
          c.ch.close();
          if (!c.done) {
            throw new IllegalStateException("the server closed a connection before answering");
          }
          return;
        }
        if (r == 0) {
          return;
        }
        in.flip();
        if (c.len + r > c.buf.length) {
          c.buf = java.util.Arrays.copyOf(c.buf, Math.max(c.buf.length * 2, c.len + r));
        }
        in.get(c.buf, c.len, r);
        c.len += r;
        if (parse(c)) {
          answered++;
        }
      }
    }

    /** A whole HTTP/1.1 answer with a content-length: its status, ETag and body; true once it is complete. */
    private static boolean parse(Conn c) {
      if (c.done) {
        throw new IllegalStateException("bytes after a complete answer");
      }
      int headEnd = -1;
      for (int i = 3; i < c.len; i++) {
        if (c.buf[i] == '\n' && c.buf[i - 1] == '\r' && c.buf[i - 2] == '\n' && c.buf[i - 3] == '\r') {
          headEnd = i + 1;
          break;
        }
      }
      if (headEnd < 0) {
        return false;
      }
      String head = new String(c.buf, 0, headEnd, java.nio.charset.StandardCharsets.ISO_8859_1);
      int length = 0;
      String etag = null;
      String[] lines = head.split("\r\n");
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = lines[i].substring(0, colon).trim();
        String value = lines[i].substring(colon + 1).trim();
        if (name.equalsIgnoreCase("content-length")) {
          length = Integer.parseInt(value);
        } else if (name.equalsIgnoreCase("etag")) {
          etag = value;
        } else if (name.equalsIgnoreCase("transfer-encoding")) {
          throw new IllegalStateException("unexpected transfer-encoding " + value);
        }
      }
      if (c.len < headEnd + length) {
        return false;
      }
      if (c.len > headEnd + length) {
        throw new IllegalStateException("bytes after a complete answer");
      }
      c.arrivedAt = System.nanoTime();
      c.status = Integer.parseInt(lines[0].split(" ")[1]);
      c.etag = etag;
      c.body = new String(c.buf, headEnd, length, java.nio.charset.StandardCharsets.UTF_8);
      c.len = 0;
      c.done = true;
      return true;
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
  }
}
