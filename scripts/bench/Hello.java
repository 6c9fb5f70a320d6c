import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/**
 * The bare Vert.x baseline for scripts/bench/led-poll.sh: an HTTP server answering "hello" with
 * as many verticle instances as the server under test runs (http.instances, default one per
 * core), same Vert.x and JVM.
 * Run: java -cp target/qingfeng.jar scripts/bench/Hello.java PORT [INSTANCES]
 */
public class Hello {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    // The same transport as the server under test, which reads the same variable (default NIO).
    boolean nativeTransport = Boolean.parseBoolean(System.getenv().getOrDefault("QINGFENG_HTTP_NATIVE_TRANSPORT", "false"));
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(nativeTransport));
    vertx.deployVerticle(() -> new VerticleBase() {
          @Override
          public Future<?> start() {
            return vertx.createHttpServer()
                .requestHandler(req -> req.response().putHeader("Content-Type", "text/plain").end("hello"))
                .listen(port, "127.0.0.1");
          }
        }, new DeploymentOptions().setInstances(instances))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.out.println("hello on " + port + ", " + instances + " instances, "
        + (vertx.isNativeTransportEnabled() ? "epoll" : "NIO") + " transport");
    Thread.currentThread().join();
  }
}
