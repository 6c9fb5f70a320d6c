package org.qingfeng.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.qingfeng.testing.Http;

/**
 * A 20,000-contact audience: 500 opted out, 300 already at the frequency cap (three messages
 * of earlier campaigns in the last hours), 200 numbers that are not valid; 19,000 to send.
 */
final class BlastScenario {
  static final int CONTACTS = 20_000;
  static final int OPTED_OUT = 500;
  static final int CAPPED = 300;
  static final int INVALID = 200;

  final Set<String> expected = new HashSet<>();

  BlastScenario(Pool pool, String tag) {
    List<String> phones = new ArrayList<>();
    List<String> optedOut = new ArrayList<>();
    List<String> capped = new ArrayList<>();
    for (int i = 0; i < CONTACTS - INVALID; i++) {
      String p = CampaignFixtures.mobile(i);
      phones.add(p);
      if (i < OPTED_OUT) {
        optedOut.add(p);
      } else if (i < OPTED_OUT + CAPPED) {
        capped.add(p);
      } else {
        expected.add(p);
      }
    }
    for (int i = 0; i < INVALID; i++) {
      phones.add(String.format("+86138%05d", i)); // the right shape, too short for a Chinese mobile
    }
    CampaignFixtures.insertContacts(pool, phones, tag);
    CampaignFixtures.optOut(pool, optedOut);
    capEarlier(pool, capped);
  }

  /** Three live messages per number from three earlier campaigns, an hour ago. */
  private static void capEarlier(Pool pool, List<String> phones) {
    for (int k = 0; k < 3; k++) {
      long campaign = CampaignFixtures.scalar(pool, "INSERT INTO campaign (name, text, audience, channel, send_at, time_zone, "
          + "max_rate, status, created_by, created_by_name, expand_done) VALUES ('元旦', 'x', '{}'::jsonb, 'default', "
          + "now() - interval '2 hours', 'Asia/Shanghai', 10, 'completed', 0, 'history', true) RETURNING id");
      Http.await(pool.preparedQuery("INSERT INTO message (campaign_id, contact_id, phone, text, parts, status, created_at, "
              + "updated_at) SELECT $1, c.id, c.phone, 'x', 1, 'submitted', now() - interval '1 hour', now() "
              + "FROM contact c WHERE c.phone = ANY($2)")
          .execute(Tuple.tuple().addValue(campaign).addValue(phones.toArray(new String[0]))));
    }
  }

  /** Every expected destination exactly once, nothing else. */
  void assertEachOnce(Map<String, AtomicInteger> perDestination) {
    assertThat(perDestination.keySet()).hasSize(expected.size()).isEqualTo(expected);
    List<String> repeated = perDestination.entrySet().stream().filter(e -> e.getValue().get() != 1)
        .map(Map.Entry::getKey).limit(10).toList();
    assertThat(repeated).as("destinations submitted more than once").isEmpty();
  }

  /** The campaign's counters as GET /campaigns/{id} shows them. */
  void assertCounted(JsonObject details) {
    JsonObject progress = details.getJsonObject("progress");
    assertThat(progress.getInteger("audience_matched")).isEqualTo(CONTACTS);
    assertThat(progress.getJsonObject("excluded").getInteger("opted_out")).isEqualTo(OPTED_OUT);
    assertThat(progress.getJsonObject("excluded").getInteger("capped")).isEqualTo(CAPPED);
    assertThat(progress.getJsonObject("excluded").getInteger("invalid")).isEqualTo(INVALID);
    assertThat(progress.getInteger("messages")).isEqualTo(expected.size());
    assertThat(progress.getJsonObject("by_status").getInteger("submitted")).isEqualTo(expected.size());
  }
}
