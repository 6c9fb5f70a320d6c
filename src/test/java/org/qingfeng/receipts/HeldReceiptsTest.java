package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.receipts.BestReceiptsTest.lower;
import static org.qingfeng.receipts.TestEvents.T0;
import static org.qingfeng.receipts.TestEvents.receipt;
import static org.qingfeng.receipts.TestEvents.submit;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.qingfeng.sms.events.SmsEvent;

/**
 * Which of a batch's receipts ReceiptStore.match still has to see once the batch's parts are
 * written: a receipt is left out only when every part of the batch under its SMSC id was created
 * just now with the batch's best receipt for that id, no earlier part is known under it, and the
 * receipt names no other message. Everything else goes to match as before.
 */
class HeldReceiptsTest {
  static final String SUBMITTED = SmsEvent.STATUS_SUBMITTED;

  static List<SmsEvent> notHeld(List<SmsEvent> receipts, List<SmsEvent> parts, Set<String> created, Set<String> known) {
    Map<String, SmsEvent> best = BatchApplier.bestReceipts(receipts);
    return BatchApplier.notHeldByCreatedParts(receipts, best, parts, created, known);
  }

  @Test
  void theBestReceiptOfACreatedPartAndThoseRankedBelowItAreLeftOut() {
    SmsEvent part = submit("sim", "m1", 1L, 1, 1, "a1", SUBMITTED, 0, T0);
    SmsEvent enroute = lower(receipt("sim", "a1", "m1", 1, 1, "ENROUTE", "000", T0 + 100));
    SmsEvent delivered = lower(receipt("sim", "a1", "m1", 1, 1, "DELIVERED", "000", T0 + 200));
    SmsEvent anonymous = lower(receipt("sim", "a1", null, 1, 1, "EXPIRED", "000", T0 + 150));

    List<SmsEvent> left = notHeld(List.of(enroute, delivered, anonymous), List.of(part),
        Set.of(ReceiptStore.partKey("m1", 1)), Set.of());

    assertThat(left).isEmpty();
  }

  @Test
  void aPartThatExistedBeforeATieOrAnUnknownSmscIdKeepTheirReceiptsInMatch() {
    SmsEvent existing = submit("sim", "m2", 1L, 1, 1, "b1", SUBMITTED, 0, T0);
    SmsEvent forExisting = lower(receipt("sim", "b1", "m2", 1, 1, "DELIVERED", "000", T0 + 100));
    SmsEvent tied = submit("sim", "m3", 1L, 1, 1, "c1", SUBMITTED, 0, T0);
    SmsEvent tieA = lower(receipt("sim", "c1", "m3", 1, 1, "DELIVERED", "000", T0 + 300));
    SmsEvent tieB = lower(receipt("sim", "c1", "m3", 1, 1, "UNDELIVERABLE", "001", T0 + 300));
    SmsEvent early = lower(receipt("sim", "zz", null, 1, 1, "DELIVERED", "000", T0 + 100));

    // m2's part was there before (not created), m3's was created without a receipt (the tie).
    List<SmsEvent> left = notHeld(List.of(forExisting, tieA, tieB, early), List.of(existing, tied),
        Set.of(), Set.of());
    assertThat(left).containsExactly(forExisting, tieA, tieB, early);

    left = notHeld(List.of(forExisting, tieA, tieB, early), List.of(existing, tied),
        Set.of(ReceiptStore.partKey("m3", 1)), Set.of());
    assertThat(left).containsExactly(forExisting, tieA, tieB, early);
  }

  @Test
  void aSharedSmscIdOrAReceiptNamingAnotherMessageKeepsTheReceiptInMatch() {
    SmsEvent mine = submit("sim", "m4", 1L, 1, 1, "d1", SUBMITTED, 0, T0);
    SmsEvent other = submit("sim", "m5", 1L, 1, 1, "d1", SUBMITTED, 0, T0 + 1);
    SmsEvent shared = lower(receipt("sim", "d1", null, 1, 1, "DELIVERED", "000", T0 + 100));
    Set<String> bothCreated = Set.of(ReceiptStore.partKey("m4", 1), ReceiptStore.partKey("m5", 1));
    assertThat(notHeld(List.of(shared), List.of(mine, other), bothCreated, Set.of())).containsExactly(shared);

    SmsEvent single = submit("sim", "m6", 1L, 1, 1, "e1", SUBMITTED, 0, T0);
    SmsEvent namesAnother = lower(receipt("sim", "e1", "m7", 1, 1, "DELIVERED", "000", T0 + 100));
    assertThat(notHeld(List.of(namesAnother), List.of(single), Set.of(ReceiptStore.partKey("m6", 1)), Set.of()))
        .containsExactly(namesAnother);

    SmsEvent anonymous = lower(receipt("sim", "e1", null, 1, 1, "DELIVERED", "000", T0 + 100));
    Set<String> earlierPartUnderE1 = Set.of(BatchApplier.smscKey("sim", "e1"));
    assertThat(notHeld(List.of(anonymous), List.of(single), Set.of(ReceiptStore.partKey("m6", 1)), earlierPartUnderE1))
        .containsExactly(anonymous);
  }
}
