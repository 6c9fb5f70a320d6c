package org.qingfeng.ops;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A test client of the ops stream: reads events on its own thread into a queue. */
final class SseReader implements AutoCloseable {
  /** One server-sent event: its name and its JSON data. */
  record Event(String name, JsonObject data) {
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile Stream<String> lines;
  private volatile int status;
  private volatile boolean ended;

  SseReader(int port, String pathAndQuery, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .header("Accept", "text/event-stream").GET();
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpRequest request = b.build();
    thread = new Thread(() -> read(request), "sse-reader");
    thread.setDaemon(true);
    thread.start();
  }

  private void read(HttpRequest request) {
    try {
      HttpResponse<Stream<String>> res = CLIENT.send(request, HttpResponse.BodyHandlers.ofLines());
      status = res.statusCode();
      lines = res.body();
      String name = null;
      StringBuilder data = new StringBuilder();
      for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        } else if (line.isEmpty() && name != null) {
          events.add(new Event(name, new JsonObject(data.toString())));
          name = null;
          data.setLength(0);
        }
      }
      ended = true;
    } catch (Exception closed) {
      // the stream ended or was closed by the test
      ended = true;
    }
  }

  /** The next event within the timeout; fails when none comes. */
  Event next(Duration timeout) throws InterruptedException {
    Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no event within " + timeout + " (HTTP status " + status + ")");
    }
    return e;
  }

  /** True once the server ended the stream (or it failed). */
  boolean ended() {
    return ended;
  }

  int received() {
    return events.size();
  }

  Event poll() {
    return events.poll();
  }

  @Override
  public void close() {
    Stream<String> l = lines;
    if (l != null) {
      l.close();
    }
    thread.interrupt();
  }
}
