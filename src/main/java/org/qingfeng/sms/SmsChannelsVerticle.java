package org.qingfeng.sms;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import org.qingfeng.app.QingfengConfig;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.events.KafkaSmsEventPublisher;

/** Owns the channels' lifecycle: binds them at deploy, unbinds them (and the local simulator) at undeploy. */
public final class SmsChannelsVerticle extends VerticleBase {
  private static final int MAX_IN_FLIGHT_EVENTS = 10_000;
  private final QingfengConfig config;
  private final String kafkaBootstrap;
  private final MeterRegistry registry;
  private final SmsEncoder encoder;
  private final Promise<SmsChannels> ready = Promise.promise();
  private KafkaSmsEventPublisher publisher;
  private SmsChannels channels;

  public SmsChannelsVerticle(QingfengConfig config, String kafkaBootstrap, MeterRegistry registry, SmsEncoder encoder) {
    this.config = config;
    this.kafkaBootstrap = kafkaBootstrap;
    this.registry = registry;
    this.encoder = encoder;
  }

  /** Completes with the channels once they are created (binding goes on in the background). */
  public Future<SmsChannels> channels() {
    return ready.future();
  }

  @Override
  public Future<?> start() {
    publisher = new KafkaSmsEventPublisher(vertx, kafkaBootstrap, config.kafkaTopicPrefix, MAX_IN_FLIGHT_EVENTS);
    return SmsChannels.start(vertx, config, publisher, registry, encoder)
        .onSuccess(c -> {
          channels = c;
          ready.tryComplete(c);
        })
        .onFailure(ready::tryFail);
  }

  @Override
  public Future<?> stop() {
    Future<Void> closing = channels == null ? Future.succeededFuture() : channels.close(vertx);
    return closing.eventually(() -> publisher == null ? Future.succeededFuture() : publisher.close());
  }
}
