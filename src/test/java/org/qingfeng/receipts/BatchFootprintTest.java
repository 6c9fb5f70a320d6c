package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.receipts.TestEvents.T0;
import static org.qingfeng.receipts.TestEvents.receipt;
import static org.qingfeng.receipts.TestEvents.submit;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which batches the sink may apply at the same time: only those whose receipts and submit results
 * never meet by SMSC id outside a message both of them lock.
 */
class BatchFootprintTest {
  private static BatchFootprint of(org.qingfeng.sms.events.SmsEvent... events) {
    return new BatchFootprint(List.of(events));
  }

  @Test
  void receiptNamingItsPartsMessageIsSerialisedByTheLockNotHere() {
    BatchFootprint submits = of(submit("sim", "m1", 1L, 1, 1, "a1", "submitted", 0, T0));
    BatchFootprint receipts = of(receipt("sim", "a1", "m1", 1, 1, "DELIVERED", "000", T0 + 10));
    assertThat(submits.conflictsWith(receipts)).isFalse();
    assertThat(receipts.conflictsWith(submits)).isFalse();
  }

  @Test
  void receiptWithoutMessageIdMeetingASubmitOfTheOtherBatchWaits() {
    BatchFootprint early = of(receipt("sim", "a1", null, 1, 1, "DELIVERED", "000", T0));
    BatchFootprint submits = of(submit("sim", "m1", 1L, 1, 1, "a1", "submitted", 0, T0 + 10));
    assertThat(early.conflictsWith(submits)).isTrue();
    assertThat(submits.conflictsWith(early)).isTrue();
  }

  @Test
  void receiptNamingAnotherMessageWaits() {
    BatchFootprint receipts = of(receipt("sim", "a1", "other", 1, 1, "DELIVERED", "000", T0));
    BatchFootprint submits = of(submit("sim", "m1", 1L, 1, 1, "a1", "submitted", 0, T0 + 10));
    assertThat(receipts.conflictsWith(submits)).isTrue();
  }

  @Test
  void otherChannelsAndOtherSmscIdsDoNotMeet() {
    BatchFootprint early = of(receipt("sim", "a1", null, 1, 1, "DELIVERED", "000", T0));
    assertThat(early.conflictsWith(of(submit("ch2", "m1", 1L, 1, 1, "a1", "submitted", 0, T0)))).isFalse();
    assertThat(early.conflictsWith(of(submit("sim", "m1", 1L, 1, 1, "a2", "submitted", 0, T0)))).isFalse();
    assertThat(early.conflictsWith(of(receipt("sim", "a1", null, 1, 1, "ENROUTE", "000", T0)))).isFalse();
  }
}
