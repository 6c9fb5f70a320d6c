package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.receipts.TestEvents.T0;
import static org.qingfeng.receipts.TestEvents.receipt;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.qingfeng.sms.events.SmsEvent;

/**
 * The receipt a part is created with when its submit result and receipts share a batch: it must
 * be the one ReceiptStore.match would pick (final beats ENROUTE, then the later one), and none
 * when match would break a tie by event id (in SQL).
 */
class BestReceiptsTest {
  static SmsEvent lower(SmsEvent e) {
    e.status = e.status.toLowerCase(java.util.Locale.ROOT);
    return e;
  }

  @Test
  void aFinalStateBeatsALaterEnrouteAndTheLaterFinalWins() {
    SmsEvent enroute = lower(receipt("sim", "a1", null, 1, 1, "ENROUTE", "000", T0 + 900));
    SmsEvent delivered = lower(receipt("sim", "a1", null, 1, 1, "DELIVERED", "000", T0 + 500));
    SmsEvent otherPart = lower(receipt("sim", "b2", null, 1, 1, "UNDELIVERABLE", "001", T0 + 100));
    SmsEvent laterFinal = lower(receipt("sim", "b2", null, 1, 1, "EXPIRED", "002", T0 + 200));

    Map<String, SmsEvent> best = BatchApplier.bestReceipts(List.of(enroute, delivered, otherPart, laterFinal));

    assertThat(best.get(BatchApplier.smscKey("sim", "a1"))).isSameAs(delivered);
    assertThat(best.get(BatchApplier.smscKey("sim", "b2"))).isSameAs(laterFinal);
    assertThat(best).hasSize(2);
  }

  @Test
  void aTieOnStateClassAndTimeIsLeftToTheDatabase() {
    SmsEvent a = lower(receipt("sim", "c3", null, 1, 1, "DELIVERED", "000", T0 + 300));
    SmsEvent b = lower(receipt("sim", "c3", null, 1, 1, "UNDELIVERABLE", "001", T0 + 300));
    SmsEvent sameSmscOtherChannel = lower(receipt("ch2", "c3", null, 1, 1, "DELIVERED", "000", T0 + 300));

    Map<String, SmsEvent> best = BatchApplier.bestReceipts(List.of(a, b, sameSmscOtherChannel));

    assertThat(best).doesNotContainKey(BatchApplier.smscKey("sim", "c3"));
    assertThat(best.get(BatchApplier.smscKey("ch2", "c3"))).isSameAs(sameSmscOtherChannel);
  }
}
