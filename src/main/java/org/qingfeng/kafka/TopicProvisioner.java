package org.qingfeng.kafka;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.admin.OffsetSpec;
import io.vertx.kafka.admin.TopicDescription;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.common.TopicPartitionInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the server needs when they are missing (existing topics are left as they
 * are), then waits until every partition of them has a leader that answers for it.
 *
 * <p>Why wait: an idempotent producer whose first batch to a new partition is refused with
 * NOT_LEADER_OR_FOLLOWER (the leader is not elected yet) was seen, with the KRaft 3.7.1 broker,
 * to retry that partition with OUT_OF_ORDER_SEQUENCE_NUMBER for good: its sends hung until they
 * expired (KAFKA-15591: its next request overtook the refused one; fixed in the broker by
 * apache/kafka#23234, after our 3.7.1). Producing only once the leaders serve avoids that state;
 * one request in flight per producer would too, but cost the end-to-end blast 13-19 % in two of
 * three pairs of runs.
 */
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
  private static final long LEADER_WAIT_MS = 30_000;
  private static final long LEADER_POLL_MS = 100;

  private TopicProvisioner() {
  }

  public static Future<List<String>> ensure(Vertx vertx, KafkaAdminClient admin, Topics topics, int partitions,
      short replication) {
    return create(admin, topics, partitions, replication)
        .compose(created -> leadersElected(vertx, admin, topics.all(), System.currentTimeMillis() + LEADER_WAIT_MS)
            .map(created));
  }

  private static Future<List<String>> create(KafkaAdminClient admin, Topics topics, int partitions, short replication) {
    return admin.listTopics().compose(existing -> {
      List<NewTopic> missing = topics.all().stream()
          .filter(t -> !existing.contains(t))
          .map(t -> new NewTopic(t, partitions, replication))
          .collect(Collectors.toList());
      if (missing.isEmpty()) {
        return Future.succeededFuture(List.<String>of());
      }
      List<String> names = missing.stream().map(NewTopic::getName).collect(Collectors.toList());
      return admin.createTopics(missing)
          .recover(err -> admin.listTopics().compose(now -> {
            // Another instance may have created them at the same moment: that is success.
            Set<String> present = Set.copyOf(now);
            return present.containsAll(names) ? Future.succeededFuture() : Future.failedFuture(err);
          }))
          .map(v -> {
            LOG.info("created Kafka topics {} ({} partitions)", names, partitions);
            return names;
          });
    });
  }

  /** Completes once every partition of {@code names} has a leader, or (with a warning) at the deadline. */
  private static Future<Void> leadersElected(Vertx vertx, KafkaAdminClient admin, List<String> names, long deadline) {
    Promise<Void> done = Promise.promise();
    checkLeaders(vertx, admin, names, deadline, done);
    return done.future();
  }

  private static void checkLeaders(Vertx vertx, KafkaAdminClient admin, List<String> names, long deadline,
      Promise<Void> done) {
    admin.describeTopics(names)
        .compose(topics -> allLed(topics) ? leadersServe(admin, topics) : Future.succeededFuture(false))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result()) {
            done.complete();
          } else if (System.currentTimeMillis() >= deadline) {
            LOG.warn("Kafka topics {} still have partitions without a serving leader after {} ms; producers will retry",
                names, LEADER_WAIT_MS);
            done.complete();
          } else {
            vertx.setTimer(LEADER_POLL_MS, t -> checkLeaders(vertx, admin, names, deadline, done));
          }
        });
  }

  /**
   * Whether every partition's leader answers for it. The metadata can name a leader before that
   * broker has set the partition up; a produce request arriving then is refused with
   * NOT_LEADER_OR_FOLLOWER (the state described above). ListOffsets goes to the same leader and is
   * refused the same way, so its success means the partitions are ready for producers.
   */
  private static Future<Boolean> leadersServe(KafkaAdminClient admin, Map<String, TopicDescription> topics) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    topics.forEach((name, d) -> d.getPartitions()
        .forEach(p -> latest.put(new TopicPartition(name, p.getPartition()), OffsetSpec.LATEST)));
    return admin.listOffsets(latest)
        .map(offsets -> offsets.size() == latest.size())
        .recover(err -> Future.succeededFuture(false));
  }

  private static boolean allLed(Map<String, TopicDescription> topics) {
    for (TopicDescription d : topics.values()) {
      for (TopicPartitionInfo p : d.getPartitions()) {
        if (p.getLeader() == null || p.getLeader().getId() < 0) {
          return false;
        }
      }
    }
    return true;
  }
}
