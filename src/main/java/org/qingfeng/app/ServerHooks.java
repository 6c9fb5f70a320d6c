package org.qingfeng.app;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.function.Function;
import org.qingfeng.campaign.MessageRenderer;
import org.qingfeng.campaign.SmsGateway;

/**
 * What an embedding (tests, or a later capability) can plug into a server: the clock every
 * schedule reads, the SMS gateway the sender and test sends use, and the message renderer.
 * Without a gateway this instance runs no sender (and answers test sends with 503).
 */
public final class ServerHooks {
  Clock clock = Clock.systemUTC();
  Function<Vertx, SmsGateway> gateway;
  MessageRenderer renderer;

  public static ServerHooks defaults() {
    return new ServerHooks();
  }

  public ServerHooks clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  public ServerHooks gateway(Function<Vertx, SmsGateway> gateway) {
    this.gateway = gateway;
    return this;
  }

  public ServerHooks renderer(MessageRenderer renderer) {
    this.renderer = renderer;
    return this;
  }
}
