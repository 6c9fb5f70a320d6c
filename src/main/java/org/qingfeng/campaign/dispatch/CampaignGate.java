package org.qingfeng.campaign.dispatch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.qingfeng.campaign.CampaignStatus;
import org.qingfeng.campaign.CampaignStore;

/**
 * Whether a claimed message's campaign is still running, re-read at most every
 * {@code refreshMs}: a pause or cancel stops the sender within that time even for messages it
 * already claimed (they go back to queued). Used on the sender's event loop only.
 */
final class CampaignGate {
  static final long READ_TIMEOUT_MS = 10_000;
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
    Future<Boolean> pending = reading.get(campaignId);
    if (pending != null) {
      return pending;
    }
    // Bounded: a read lost with its connection must not hold every message of the campaign
    // (and so the sender's batch and its consumer) for good. Registered before any callback
    // can run, so a read that completes at once cannot leave a stale entry behind.
    Promise<Boolean> read = Promise.promise();
    reading.put(campaignId, read.future());
    campaigns.statuses(new Long[] {campaignId}).timeout(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
      reading.remove(campaignId);
      if (ar.failed()) {
        read.fail(ar.cause());
        return;
      }
      CampaignStatus found = ar.result().get(campaignId);
      status.put(campaignId, found);
      readAt.put(campaignId, System.nanoTime());
      read.complete(found == CampaignStatus.RUNNING);
    });
    return read.future();
  }
}
