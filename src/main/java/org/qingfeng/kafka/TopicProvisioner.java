package org.qingfeng.kafka;

import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics the server needs when they are missing; existing topics are left as they are. */
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private TopicProvisioner() {
  }

  public static Future<List<String>> ensure(KafkaAdminClient admin, Topics topics, int partitions, short replication) {
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
}
