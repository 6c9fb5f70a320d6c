import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * The bare Vert.x baseline for scripts/bench/led-poll.sh: one verticle-less HTTP server on one
 * event loop answering "hello" (same Vert.x and JVM as the server under test).
 * Run: java -cp target/qingfeng.jar scripts/bench/Hello.java PORT
 */
public class Hello {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer()
        .requestHandler(req -> req.response().putHeader("Content-Type", "text/plain").end("hello"))
        .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.out.println("hello on " + port);
    Thread.currentThread().join();
  }
}
