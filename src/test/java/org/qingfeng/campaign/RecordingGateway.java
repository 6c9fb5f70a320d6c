package org.qingfeng.campaign;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real in-memory SMS channel for tests: accepts every submit and records it, so tests can
 * assert "each destination exactly once". Several servers may share one instance.
 */
public final class RecordingGateway implements SmsGateway {
  /** One submit as the channel saw it, with the (possibly fake) time it happened. */
  public static final class Sent {
    public final String channel;
    public final String messageId;
    public final String destination;
    public final String text;
    public final Instant at;

    Sent(String channel, String messageId, String destination, String text, Instant at) {
      this.channel = channel;
      this.messageId = messageId;
      this.destination = destination;
      this.text = text;
      this.at = at;
    }
  }

  private final Clock clock;
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> perDestination = new ConcurrentHashMap<>();
  private final AtomicInteger seq = new AtomicInteger();

  public RecordingGateway(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<SendResult> send(String channel, String messageId, String destinationE164, String text) {
    sent.add(new Sent(channel, messageId, destinationE164, text, clock.instant()));
    perDestination.computeIfAbsent(destinationE164, k -> new AtomicInteger()).incrementAndGet();
    return Future.succeededFuture(SendResult.submitted(List.of("smsc-" + seq.incrementAndGet())));
  }

  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  public Map<String, AtomicInteger> perDestination() {
    return perDestination;
  }

  public int count() {
    return sent.size();
  }
}
