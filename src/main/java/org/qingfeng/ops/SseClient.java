package org.qingfeng.ops;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpConnection;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One text/event-stream client. Every method runs on the client's own event loop (the hub hands
 * events over with {@link Context#runOnContext}). Nothing is queued beyond the response's write
 * queue (its own limit, and the bytes whose write has not completed): while it is full, ticks are skipped (the next write is a full snapshot), and a queue
 * still full after {@code slowMs} disconnects the client.
 */
final class SseClient {
  private static final Logger LOG = LoggerFactory.getLogger(SseClient.class);
  private final Context context;
  private final HttpServerResponse response;
  private final HttpConnection connection;
  private final long slowMs;
  private final long maxPendingBytes;
  /** Bytes handed to the response whose write has not completed yet (not in the socket yet). */
  private long pendingBytes;
  private final Runnable onSlowDisconnect;
  /** The API token the client signed in with: its stream ends when that token is revoked. */
  private final long tokenId;
  private long lastSeq = -1;
  private long fullSince;
  private boolean closed;

  SseClient(Context context, HttpServerResponse response, HttpConnection connection, long tokenId, long slowMs,
      long maxPendingBytes, Runnable onSlowDisconnect) {
    this.tokenId = tokenId;
    this.context = context;
    this.response = response;
    this.connection = connection;
    this.slowMs = slowMs;
    this.maxPendingBytes = maxPendingBytes;
    this.onSlowDisconnect = onSlowDisconnect;
    response.drainHandler(v -> fullSince = 0);
  }

  /** Called by the hub from any thread; the work happens on this client's event loop, in order. */
  void offer(OpsEvent event) {
    context.runOnContext(v -> deliver(event));
  }

  long tokenId() {
    return tokenId;
  }

  /** The client's token was revoked: say so in a last event, then end the stream. */
  void revoked() {
    context.runOnContext(v -> {
      if (closed) {
        return;
      }
      closed = true;
      write("revoked", lastSeq, utf8("{\"reason\":\"token revoked\"}"));
      response.end().onComplete(ar -> connection.close());
    });
  }

  void markClosed() {
    context.runOnContext(v -> closed = true);
  }

  private void deliver(OpsEvent event) {
    if (closed) {
      return;
    }
    long now = System.currentTimeMillis();
    if (response.writeQueueFull() || pendingBytes >= maxPendingBytes) {
      if (fullSince == 0) {
        fullSince = now;
      } else if (now - fullSince >= slowMs) {
        closed = true;
        LOG.info("ops stream client {} stopped reading for {} ms: disconnected", connection.remoteAddress(), now - fullSince);
        onSlowDisconnect.run();
        connection.close();
      }
      lastSeq = -1;
      return;
    }
    fullSince = 0;
    boolean delta = lastSeq == event.base() && event.delta() != null;
    write(delta ? "delta" : "snapshot", event.seq(), delta ? event.delta() : event.snapshot());
    lastSeq = event.seq();
  }

  private void write(String name, long seq, byte[] json) {
    Buffer b = Buffer.buffer(json.length + 48);
    b.appendString("event: " + name + "\nid: " + seq + "\ndata: ", "UTF-8");
    b.appendBytes(json);
    b.appendString("\n\n", "UTF-8");
    int length = b.length();
    pendingBytes += length;
    response.write(b).onComplete(ar -> pendingBytes -= length);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
