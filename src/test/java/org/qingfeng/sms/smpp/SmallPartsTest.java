package org.qingfeng.sms.smpp;

import org.qingfeng.sms.PhoneMask;
import org.jsmpp.SMPPConstant;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.sms.events.SmsEvent;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The connector's small decisions: error classes, masking, backoff, receipt matching. */
@Timeout(10)
class SmallPartsTest {

    @Test
    void classifiesSubmitFailures() {
        assertThat(SubmitFailure.classify(new NegativeResponseException(SMPPConstant.STAT_ESME_RTHROTTLED), true))
                .isEqualTo(SubmitFailure.THROTTLED);
        assertThat(SubmitFailure.classify(new NegativeResponseException(SMPPConstant.STAT_ESME_RMSGQFUL), true))
                .isEqualTo(SubmitFailure.QUEUE_FULL);
        assertThat(SubmitFailure.classify(new NegativeResponseException(SMPPConstant.STAT_ESME_RSYSERR), true))
                .isEqualTo(SubmitFailure.TRANSIENT);
        assertThat(SubmitFailure.classify(new NegativeResponseException(0x0B), true)).isEqualTo(SubmitFailure.PERMANENT);
        // A response timeout on a live link is outcome-unknown too: the SMSC may have taken the submit.
        assertThat(SubmitFailure.classify(new ResponseTimeoutException(), true)).isEqualTo(SubmitFailure.OUTCOME_UNKNOWN);
        assertThat(SubmitFailure.classify(new ResponseTimeoutException(), false)).isEqualTo(SubmitFailure.OUTCOME_UNKNOWN);
        assertThat(SubmitFailure.classify(new LinkLostException(), true)).isEqualTo(SubmitFailure.OUTCOME_UNKNOWN);
        assertThat(SubmitFailure.classify(new IOException("not bound"), false)).isEqualTo(SubmitFailure.NOT_SENT);
    }

    @Test
    void masksPhoneNumbers() {
        assertThat(PhoneMask.mask("13812345678")).isEqualTo("138****5678");
        assertThat(PhoneMask.mask("+8613812345678")).isEqualTo("+86138****5678");
        assertThat(PhoneMask.mask("12345")).isEqualTo("****45");
    }

    @Test
    void rebindBackoffGrowsAndStaysWithinItsBounds() {
        RebindBackoff backoff = new RebindBackoff(500, 30_000);
        for (int attempt = 0; attempt < 30; attempt++) {
            long ceiling = Math.min(30_000, 500L << Math.min(attempt, 20));
            assertThat(backoff.delayMs(attempt)).isBetween(500L, ceiling);
        }
    }

    @Test
    void rebindBackoffIsJitteredSoChannelsDoNotReconnectInStep() {
        RebindBackoff backoff = new RebindBackoff(500, 30_000);
        java.util.Set<Long> delays = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            delays.add(backoff.delayMs(6)); // ceiling 32 s capped to 30 s
        }
        assertThat(delays).hasSizeGreaterThan(40);
        assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(500L, 30_000L));
        // The ceiling doubles per attempt: attempt 0 never waits longer than the minimum.
        assertThat(backoff.delayMs(0)).isEqualTo(500L);
        assertThat(java.util.stream.IntStream.range(0, 200).mapToLong(i -> backoff.delayMs(3)).max().getAsLong())
                .isGreaterThan(2_000L).isLessThanOrEqualTo(4_000L);
    }

    @Test
    void anEarlyReceiptIsParkedAndComesBackWithOurMessageId() {
        AtomicLong now = new AtomicLong(1_000);
        ReceiptCorrelator correlator = new ReceiptCorrelator(now::get, 10, 60_000, 60_000);
        SmsEvent early = receipt("S1");
        assertThat(correlator.match(early, true).messageId).isNull();

        List<SmsEvent> enriched = correlator.submitted("S1", "m-1", 2, 3, 900);
        assertThat(enriched).singleElement().satisfies(e -> {
            assertThat(e.messageId).isEqualTo("m-1");
            assertThat(e.partIndex).isEqualTo(2);
            assertThat(e.eventId).isEqualTo(early.eventId);
        });
        assertThat(correlator.match(receipt("S1"), true).messageId).isEqualTo("m-1");
        assertThat(correlator.parkedCount()).isZero();
    }

    @Test
    void aFinalReceiptFreesItsEntryAndAnIntermediateOneKeepsIt() {
        AtomicLong now = new AtomicLong(1_000);
        ReceiptCorrelator correlator = new ReceiptCorrelator(now::get, 10, 60_000, 60_000);
        correlator.submitted("S1", "m-1", 1, 1, 900);
        assertThat(correlator.match(receipt("S1"), false).messageId).isEqualTo("m-1"); // ENROUTE
        assertThat(correlator.submittedCount()).isEqualTo(1);
        assertThat(correlator.match(receipt("S1"), true).messageId).isEqualTo("m-1"); // DELIVRD
        assertThat(correlator.submittedCount()).isZero();
        assertThat(correlator.parkedCount()).isZero();
    }

    @Test
    void generationalMapKeepsAtMostItsBoundAndAtLeastTheLatestHalf() {
        GenerationalMap<Integer> map = new GenerationalMap<>(100, 60_000, 0);
        for (int i = 0; i < 1_000; i++) {
            map.put("k" + i, i, 0);
            assertThat(map.size()).isLessThanOrEqualTo(100);
        }
        for (int i = 950; i < 1_000; i++) {
            assertThat(map.get("k" + i)).isEqualTo(i);
        }
        assertThat(map.get("k0")).isNull();
        assertThat(map.remove("k999")).isEqualTo(999);
        assertThat(map.get("k999")).isNull();
        // Past twice its half-span nothing old is kept.
        map.put("late", -1, 61_000);
        assertThat(map.size()).isEqualTo(1);
        assertThat(map.get("k998")).isNull();
    }

    @Test
    void parkedReceiptsHaveTheirOwnSmallerBound() {
        AtomicLong now = new AtomicLong(1_000);
        ReceiptCorrelator correlator = new ReceiptCorrelator(now::get, 100, 2, 60_000, 60_000);
        correlator.match(receipt("A"), true);
        correlator.match(receipt("B"), true);
        correlator.match(receipt("C"), true);
        assertThat(correlator.parkedCount()).isEqualTo(2);
        assertThat(correlator.submitted("A", "m-a", 1, 1, 0)).isEmpty(); // the eldest was dropped
        assertThat(correlator.submitted("C", "m-c", 1, 1, 0)).singleElement()
                .satisfies(e -> assertThat(e.messageId).isEqualTo("m-c"));
    }

    @Test
    void correlationMemoryIsBoundedInSizeAndAge() {
        AtomicLong now = new AtomicLong(1_000);
        ReceiptCorrelator correlator = new ReceiptCorrelator(now::get, 2, 60_000, 60_000);
        correlator.submitted("A", "m-a", 1, 1, 0);
        correlator.submitted("B", "m-b", 1, 1, 0);
        correlator.submitted("C", "m-c", 1, 1, 0);
        assertThat(correlator.match(receipt("A"), false).messageId).isNull(); // evicted by size
        now.addAndGet(120_000);
        correlator.submitted("D", "m-d", 1, 1, 0);
        assertThat(correlator.match(receipt("C"), false).messageId).isNull(); // evicted by age
    }

    private static SmsEvent receipt(String smscId) {
        SmsEvent e = new SmsEvent();
        e.type = SmsEvent.TYPE_RECEIPT;
        e.smscId = smscId;
        e.eventId = "ch:" + smscId + ":receipt:DELIVERED";
        return e;
    }
}
