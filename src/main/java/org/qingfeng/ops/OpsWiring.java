package org.qingfeng.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.qingfeng.auth.TokenStore;
import org.qingfeng.campaign.CampaignStore;
import org.qingfeng.campaign.LedgerStore;
import org.qingfeng.led.LedHealth;
import org.qingfeng.receipts.ReceiptQueries;
import org.qingfeng.sms.SmsChannels;

/** Builds the ops parts from the domains' stores: one stream, one collector, their meters and routes. */
public final class OpsWiring {
  private final OpsStream stream;
  private final OpsMetrics metrics;
  private final OpsCollector collector;
  private final OpsRoutes routes;

  /** Settings from the ops.* configuration keys. */
  public record Settings(int deliveryRateAlertPercent, int deliveryRateAlertMinOutcomes, int channelUnboundAlertS,
                         int maxClients, int clientBufferBytes, int slowClientMs) {
  }

  public OpsWiring(Settings s, CampaignStore campaigns, LedgerStore ledger, ReceiptQueries receipts,
      Supplier<SmsChannels> channels, LedHealth led, TokenStore tokens, MeterRegistry registry) {
    this.stream = new OpsStream(s.maxClients());
    this.metrics = new OpsMetrics(registry, stream);
    this.collector = new OpsCollector(new OpsSources(campaigns, ledger, receipts, channels, led, registry),
        new OpsAlerts(s.deliveryRateAlertPercent(), s.deliveryRateAlertMinOutcomes(), s.channelUnboundAlertS()),
        stream, metrics, new RevokedTokenCheck(tokens, stream, metrics));
    this.routes = new OpsRoutes(stream, metrics, s.clientBufferBytes(), s.slowClientMs());
  }

  public OpsRoutes routes() {
    return routes;
  }

  public Future<Void> deployCollector(Vertx vertx) {
    return vertx.deployVerticle(collector).mapEmpty();
  }
}
