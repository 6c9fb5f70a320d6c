package org.qingfeng.contacts;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Iterator;

/** A ReadStream over byte arrays made on demand, so tests can upload large bodies without holding them. */
final class IteratorStream implements ReadStream<Buffer> {
  private final Vertx vertx;
  private final Iterator<byte[]> pieces;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private boolean scheduled;
  private boolean ended;

  IteratorStream(Vertx vertx, Iterator<byte[]> pieces) {
    this.vertx = vertx;
    this.pieces = pieces;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> h) {
    this.handler = h;
    schedule();
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    demand = 0;
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
    schedule();
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> h) {
    this.endHandler = h;
    return this;
  }

  private void schedule() {
    if (!scheduled && handler != null && !ended) {
      scheduled = true;
      vertx.runOnContext(v -> pump());
    }
  }

  private void pump() {
    scheduled = false;
    int burst = 0;
    while (demand > 0 && pieces.hasNext() && burst++ < 16) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(Buffer.buffer(pieces.next()));
    }
    if (!pieces.hasNext()) {
      if (!ended) {
        ended = true;
        if (endHandler != null) {
          endHandler.handle(null);
        }
      }
    } else if (demand > 0) {
      schedule();
    }
  }
}
