package org.qingfeng.led;

import com.jsoniter.output.JsonStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.qingfeng.kafka.KafkaSettings;

/** Hands accepted plays to Kafka led.plays, bounded by the number of records in flight. */
public final class PlayPublisher {
  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final int maxInflight;
  private final AtomicInteger inflight = new AtomicInteger();

  public PlayPublisher(Vertx vertx, String bootstrap, String topic, int maxInflight) {
    this.producer = KafkaProducer.create(vertx, KafkaSettings.producer(bootstrap, "qingfeng-led-plays"));
    this.topic = topic;
    this.maxInflight = maxInflight;
  }

  /** False (take nothing) when the batch would go over the in-flight bound. */
  public boolean reserve(int n) {
    if (inflight.addAndGet(n) > maxInflight) {
      inflight.addAndGet(-n);
      return false;
    }
    return true;
  }

  public void release(int n) {
    inflight.addAndGet(-n);
  }

  /** Sends a reserved batch; completes when Kafka acknowledged every record. */
  public Future<Void> publish(List<PlayRecord> plays) {
    List<Future<?>> sends = new ArrayList<>(plays.size());
    for (PlayRecord p : plays) {
      sends.add(producer.send(KafkaProducerRecord.create(topic, Long.toString(p.screenId), JsonStream.serialize(p))));
    }
    return Future.all(sends).<Void>mapEmpty().onComplete(ar -> inflight.addAndGet(-plays.size()));
  }

  public Future<Void> close() {
    return producer.close();
  }
}
