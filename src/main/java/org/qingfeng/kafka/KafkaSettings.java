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
    // One produce request in flight per broker. With more, a request refused by a partition its
    // broker had not yet set up (NOT_LEADER_OR_FOLLOWER) could be overtaken by the next one, and
    // every retry of the first then failed OUT_OF_ORDER_SEQUENCE until delivery.timeout.ms
    // expired it (KAFKA-15591; fixed in the broker by apache/kafka#23234, after our 3.7.1). Seen
    // here on freshly created topics: a test's producer stuck for two minutes.
    m.put("max.in.flight.requests.per.connection", "1");
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
