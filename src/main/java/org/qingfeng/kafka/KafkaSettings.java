package org.qingfeng.kafka;

import java.util.HashMap;
import java.util.Map;

/** Client settings shared by producers, consumers and the admin client. */
public final class KafkaSettings {
  private KafkaSettings() {
  }

  public static Map<String, String> admin(String bootstrap) {
    Map<String, String> m = new HashMap<>();
    m.put("bootstrap.servers", bootstrap);
    m.put("client.id", "qingfeng-admin");
    // Readiness checks must answer in seconds, not the client's default minute.
    m.put("request.timeout.ms", "3000");
    m.put("default.api.timeout.ms", "5000");
    m.put("reconnect.backoff.max.ms", "2000");
    return m;
  }

  public static Map<String, String> producer(String bootstrap, String clientId) {
    Map<String, String> m = new HashMap<>();
    m.put("bootstrap.servers", bootstrap);
    m.put("client.id", clientId);
    m.put("acks", "all");
    m.put("enable.idempotence", "true");
    m.put("linger.ms", "5");
    m.put("compression.type", "lz4");
    m.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    m.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    return m;
  }

  public static Map<String, String> consumer(String bootstrap, String groupId, String clientId) {
    Map<String, String> m = new HashMap<>();
    m.put("bootstrap.servers", bootstrap);
    m.put("group.id", groupId);
    m.put("client.id", clientId);
    m.put("enable.auto.commit", "false");
    m.put("auto.offset.reset", "earliest");
    m.put("isolation.level", "read_committed");
    m.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    m.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    return m;
  }
}
