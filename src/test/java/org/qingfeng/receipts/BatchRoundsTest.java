package org.qingfeng.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.receipts.TestEvents.T0;
import static org.qingfeng.receipts.TestEvents.receipt;
import static org.qingfeng.receipts.TestEvents.submit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.qingfeng.sms.events.SmsEvent;

/**
 * Which of a batch's messages wait for the batches ahead: those they touch, and everything linked
 * to those by an SMSC id in the batch, so that each round holds every part its receipts may find.
 */
class BatchRoundsTest {
  private static BatchRounds split(Set<String> found, Set<String> busy, SmsEvent... events) {
    List<SmsEvent> submits = new ArrayList<>();
    List<SmsEvent> receipts = new ArrayList<>();
    Set<String> messages = new TreeSet<>(found);
    for (SmsEvent e : events) {
      (SmsEvent.TYPE_SUBMIT_RESULT.equals(e.type) ? submits : receipts).add(e);
      if (e.messageId != null) {
        messages.add(e.messageId);
      }
    }
    return new BatchRounds(messages, found, submits, receipts, busy);
  }

  private static final SmsEvent M1 = submit("sim", "m1", 1L, 1, 1, "a1", "submitted", 0, T0);
  private static final SmsEvent M1_DONE = receipt("sim", "a1", "m1", 1, 1, "delivered", "000", T0 + 10);
  private static final SmsEvent M2 = submit("sim", "m2", 1L, 2, 3, "b2", "submitted", 0, T0);
  private static final SmsEvent M2_DONE = receipt("sim", "b2", "m2", 2, 3, "delivered", "000", T0 + 10);

  @Test
  void messagesNoBatchAheadTouchesGoFirstTheSharedOnesWait() {
    BatchRounds r = split(Set.of(), Set.of("m2"), M1, M1_DONE, M2, M2_DONE);
    assertThat(r.firstMessages).containsExactly("m1");
    assertThat(r.firstSubmits).containsExactly(M1);
    assertThat(r.firstReceipts).containsExactly(M1_DONE);
    assertThat(r.secondMessages).containsExactly("m2");
    assertThat(r.secondSubmits).containsExactly(M2);
    assertThat(r.secondReceipts).containsExactly(M2_DONE);
  }

  @Test
  void unknownAheadMeansEverythingWaits() {
    BatchRounds r = split(Set.of(), null, M1, M1_DONE);
    assertThat(r.firstMessages).isEmpty();
    assertThat(r.firstSubmits).isEmpty();
    assertThat(r.firstReceipts).isEmpty();
    assertThat(r.secondMessages).containsExactly("m1");
  }

  @Test
  void nothingAheadMeansNothingWaits() {
    BatchRounds r = split(Set.of(), Set.of(), M1, M1_DONE, M2, M2_DONE);
    assertThat(r.firstMessages).containsExactly("m1", "m2");
    assertThat(r.secondMessages).isEmpty();
    assertThat(r.secondReceipts).isEmpty();
  }

  @Test
  void aReceiptNamingAnotherMessageKeepsBothInOneRound() {
    SmsEvent crossed = receipt("sim", "a1", "m2", 1, 1, "delivered", "000", T0 + 10);
    BatchRounds r = split(Set.of(), Set.of("m2"), M1, M2, crossed);
    assertThat(r.firstMessages).isEmpty();
    assertThat(r.secondMessages).containsExactly("m1", "m2");
    assertThat(r.secondReceipts).containsExactly(crossed);
  }

  @Test
  void anAnonymousReceiptGoesWithTheSubmitOfItsSmscIdAndTheMessagesFoundForIt() {
    SmsEvent early = receipt("sim", "a1", null, 1, 1, "delivered", "000", T0 + 10);
    BatchRounds r = split(Set.of("m3"), Set.of("m3"), M1, early, M2);
    assertThat(r.firstMessages).containsExactly("m2");
    assertThat(r.secondMessages).containsExactly("m1", "m3");
    assertThat(r.secondSubmits).containsExactly(M1);
    assertThat(r.secondReceipts).containsExactly(early);

    BatchRounds quiet = split(Set.of("m3"), Set.of("m9"), M1, early, M2);
    assertThat(quiet.firstMessages).containsExactly("m1", "m2", "m3");
    assertThat(quiet.firstReceipts).containsExactly(early);
    assertThat(quiet.secondMessages).isEmpty();
  }
}
