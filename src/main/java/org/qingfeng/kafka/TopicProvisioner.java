package org.qingfeng.kafka;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.admin.TopicDescription;
import io.vertx.kafka.client.common.TopicPartitionInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the server needs when they are missing (existing topics are left as they
 * are), then waits until every partition of them has a leader.
 *
 * <p>Why wait: an idempotent producer whose first batch to a new partition is refused with
 * NOT_LEADER_OR_FOLLOWER (the leader is not elected yet) was seen, with the KRaft 3.7.1 broker,
 * to retry that partition with OUT_OF_ORDER_SEQUENCE_NUMBER for good: its sends hung until they
 * expired. Producing only once the leaders are there avoids that state.
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
    admin.describeTopics(names).onComplete(ar -> {
      if (ar.succeeded() && allLed(ar.result())) {
        done.complete();
      } else if (System.currentTimeMillis() >= deadline) {
        LOG.warn("Kafka topics {} still have partitions without a leader after {} ms; producers will retry",
            names, LEADER_WAIT_MS);
        done.complete();
      } else {
        vertx.setTimer(LEADER_POLL_MS, t -> checkLeaders(vertx, admin, names, deadline, done));
      }
    });
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
