package org.qingfeng.campaign.dispatch;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import org.qingfeng.campaign.CampaignStatus;
import org.qingfeng.campaign.CampaignStore;

/**
 * Whether a claimed message's campaign is still running, re-read at most every
 * {@code refreshMs}: a pause or cancel stops the sender within that time even for messages it
 * already claimed (they go back to queued). Used on the sender's event loop only.
 */
final class CampaignGate {
  private final CampaignStore campaigns;
  private final long refreshNanos;
  private final Map<Long, CampaignStatus> status = new HashMap<>();
  private final Map<Long, Long> readAt = new HashMap<>();
  private final Map<Long, Future<Boolean>> reading = new HashMap<>();

  CampaignGate(CampaignStore campaigns, long refreshMs) {
    this.campaigns = campaigns;
    this.refreshNanos = refreshMs * 1_000_000L;
  }

  Future<Boolean> running(long campaignId) {
    Long at = readAt.get(campaignId);
    if (at != null && System.nanoTime() - at < refreshNanos) {
      return Future.succeededFuture(status.get(campaignId) == CampaignStatus.RUNNING);
    }
    return reading.computeIfAbsent(campaignId, id -> campaigns.statuses(new Long[] {id}).map(found -> {
      status.put(id, found.get(id));
      readAt.put(id, System.nanoTime());
      reading.remove(id);
      return found.get(id) == CampaignStatus.RUNNING;
    }).onFailure(err -> reading.remove(id)));
  }
}
