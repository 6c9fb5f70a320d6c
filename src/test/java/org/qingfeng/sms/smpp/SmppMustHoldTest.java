package org.qingfeng.sms.smpp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.sim.FaultOptions;
import org.qingfeng.sim.LedgerEntry;
import org.qingfeng.sim.SimulatorOptions;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.events.SmsEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.qingfeng.sms.smpp.SimChannelFixture.await;
import static org.qingfeng.sms.smpp.SimChannelFixture.destination;
import static org.qingfeng.sms.smpp.SimChannelFixture.parts;
import static org.qingfeng.sms.smpp.SimChannelFixture.text;
import static org.qingfeng.sms.smpp.SimChannelFixture.totalParts;
import static org.qingfeng.sms.smpp.SimChannelFixture.waitFor;

/**
 * Issue 3's "Must hold" lines against the SMSC simulator (the 10,000-message run through Kafka
 * is {@link SmppTenThousandKafkaTest}): throughput within 10 %, link drops with outcome-unknown
 * resubmits equal to what was in flight, receipts before their responses, response timeouts,
 * and bad input that never reaches the SMSC.
 */
@Timeout(value = 90)
class SmppMustHoldTest {
    private SimChannelFixture f;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void holdsAConfiguredThroughputOfThreeHundredPartsPerSecondWithinTenPercent() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults());
        f.start("parts_per_second", 300);
        // ~3,000 parts: about ten seconds at 300 parts/s, long enough that the start-up burst
        // (a twentieth of a second) and timer jitter do not matter.
        f.sendAll(1_800);
        List<LedgerEntry> ledger = f.simulator.ledger().entries();
        assertThat(ledger).hasSize(totalParts(1_800));
        long first = ledger.get(0).receivedAt;
        long last = ledger.get(ledger.size() - 1).receivedAt;
        double rate = (ledger.size() - 1) * 1000.0 / (last - first);
        System.out.printf("configured 300 parts/s; the SMSC received %d parts in %.2f s = %.1f parts/s%n",
                ledger.size(), (last - first) / 1000.0, rate);
        assertThat(rate).isBetween(270.0, 330.0);
    }

    @Test
    void droppedLinksRebindAndResubmitExactlyWhatWasInFlight() throws Exception {
        // Every 700th submit the simulator closes the link without answering it.
        f = new SimChannelFixture(SimChannelFixture.defaults().faults(FaultOptions.none().dropLinkEverySubmits(700)));
        SmppChannel channel = f.start();
        Set<ChannelState> seen = ConcurrentHashMap.newKeySet();
        channel.onStateChange(seen::add);
        int messages = 2_000;
        List<SubmitOutcome> outcomes = f.sendAll(messages);
        assertNothingLostAndResubmitsEqualInFlight(outcomes, messages);
        assertThat(seen).contains(ChannelState.CONNECTING, ChannelState.BOUND);
        assertThat(f.simulator.summary().droppedLinks).isGreaterThanOrEqualTo(3);
        assertThat(f.simulator.summary().binds).isGreaterThanOrEqualTo(4);
    }

    @Test
    void dropAllLinksInTheMiddleOfABlastLosesNothing() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults());
        SmppChannel channel = f.start();
        int messages = 3_000;
        Thread dropper = new Thread(() -> {
            try {
                for (int drop = 1; drop <= 2; drop++) {
                    int at = drop * 1_500;
                    waitFor(() -> f.simulator.ledger().submits() >= at, 60_000);
                    f.simulator.dropAllLinks();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        dropper.start();
        List<SubmitOutcome> outcomes = f.sendAll(messages);
        dropper.join();
        assertNothingLostAndResubmitsEqualInFlight(outcomes, messages);
        assertThat(f.simulator.summary().droppedLinks).isEqualTo(2);
        assertThat(channel.state()).isEqualTo(ChannelState.BOUND);
    }

    private void assertNothingLostAndResubmitsEqualInFlight(List<SubmitOutcome> outcomes, int messages) throws Exception {
        assertThat(outcomes).allSatisfy(o -> assertThat(o.accepted()).as(o.toString()).isTrue());
        long inFlightAtDrops = f.channel.inFlightAtLinkLoss();
        long unknown = f.channel.outcomeUnknownCount();
        int resubmits = outcomes.stream().flatMap(o -> o.parts().stream()).mapToInt(PartOutcome::outcomeUnknownResubmits).sum();
        int total = totalParts(messages);
        int duplicates = f.simulator.ledger().submits() - total;
        System.out.printf("in flight at the drops=%d outcome-unknown=%d resubmits=%d duplicates at the SMSC=%d%n",
                inFlightAtDrops, unknown, resubmits, duplicates);
        // The submits written and unanswered when the link went are exactly the ones resubmitted.
        assertThat(inFlightAtDrops).isPositive();
        assertThat(unknown).isEqualTo(inFlightAtDrops);
        assertThat((long) resubmits).isEqualTo(inFlightAtDrops);
        assertThat(f.registry.get("qingfeng.smpp.outcome.unknown").tag("channel", "sim").counter().count())
                .isEqualTo((double) unknown);
        // Duplicates are the honest price of outcome-unknown: never more than were resubmitted.
        assertThat(duplicates).isBetween(0, resubmits);
        // Nothing lost: every part of every message reached the SMSC.
        Map<String, Set<Integer>> partsSeen = new HashMap<>();
        for (LedgerEntry e : f.simulator.ledger().entries()) {
            partsSeen.computeIfAbsent(e.destination, d -> new java.util.HashSet<>()).add(e.concatSequence);
        }
        for (int i = 0; i < messages; i++) {
            int n = parts(text(i));
            assertThat(partsSeen.get(destination(i))).as(destination(i)).hasSize(n);
        }
        // And every accepted part's receipt came back and was published.
        Set<String> accepted = outcomes.stream().flatMap(o -> o.parts().stream()).map(PartOutcome::smscId)
                .collect(Collectors.toSet());
        waitFor(() -> receiptSmscIds().containsAll(accepted), 30_000);
        assertThat(receiptSmscIds()).containsAll(accepted);
    }

    private Set<String> receiptSmscIds() {
        return f.memory.ofType(SmsEvent.TYPE_RECEIPT).stream().map(e -> e.smscId).collect(Collectors.toSet());
    }

    @Test
    void receiptsBeforeTheirSubmitResponsesArePublishedWithBothIds() throws Exception {
        // Default simulator threads (8 per session) and our window of 50.
        f = new SimChannelFixture(SimChannelFixture.defaults().faults(FaultOptions.none().receiptBeforeResponse(true)));
        f.start();
        int messages = 1_000;
        List<SubmitOutcome> outcomes = f.sendAll(messages);
        assertThat(outcomes).allMatch(SubmitOutcome::accepted);
        Map<String, String> messageBySmscId = new HashMap<>();
        outcomes.forEach(o -> o.parts().forEach(p -> messageBySmscId.put(p.smscId(), o.messageId())));
        assertThat(messageBySmscId).hasSize(totalParts(messages));
        waitFor(() -> withBothIds().keySet().containsAll(messageBySmscId.keySet()), 30_000);
        Map<String, SmsEvent> both = withBothIds();
        assertThat(both.keySet()).containsAll(messageBySmscId.keySet());
        messageBySmscId.forEach((smscId, messageId) -> assertThat(both.get(smscId).messageId).isEqualTo(messageId));
        // The race really happened: some receipts were first published before their response was read.
        long earlyCopies = f.memory.ofType(SmsEvent.TYPE_RECEIPT).stream().filter(e -> e.messageId == null).count();
        System.out.printf("receipts first published without our id (before the submit_sm_resp): %d of %d%n",
                earlyCopies, messageBySmscId.size());
        assertThat(earlyCopies).isPositive();
        // One event id per receipt, however many copies were published.
        Map<String, Set<String>> eventIds = f.memory.ofType(SmsEvent.TYPE_RECEIPT).stream()
                .collect(Collectors.groupingBy(e -> e.smscId, Collectors.mapping(e -> e.eventId, Collectors.toSet())));
        assertThat(eventIds.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
    }

    /** Receipts that name both our message id and the SMSC id, by SMSC id. */
    private Map<String, SmsEvent> withBothIds() {
        return f.memory.ofType(SmsEvent.TYPE_RECEIPT).stream()
                .filter(e -> e.messageId != null && e.smscId != null)
                .collect(Collectors.toMap(e -> e.smscId, e -> e, (a, b) -> a));
    }

    @Test
    void aResponseTimeoutOnALiveLinkIsOutcomeUnknownAndFailsUnderTheFailPolicy() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults().faults(FaultOptions.none().responseDelayMs(800)));
        SmppChannel channel = f.start("response_timeout_ms", 200, "outcome_unknown_policy", "fail");
        SubmitOutcome outcome = await(channel.submit(new OutboundSms("late", "+8613900000001", SimChannelFixture.GSM)));
        assertThat(outcome.status()).isEqualTo(SmsEvent.STATUS_OUTCOME_UNKNOWN);
        assertThat(outcome.parts().get(0).outcomeUnknownResubmits()).isZero();
        assertThat(channel.outcomeUnknownCount()).isEqualTo(1);
        assertThat(channel.state()).isEqualTo(ChannelState.BOUND);
        assertThat(f.memory.ofType(SmsEvent.TYPE_SUBMIT_RESULT)).singleElement()
                .satisfies(e -> assertThat(e.status).isEqualTo(SmsEvent.STATUS_OUTCOME_UNKNOWN));
        // The SMSC did take it, late: exactly why it must not be resubmitted silently.
        waitFor(() -> f.simulator.ledger().submits() == 1, 5_000);
        Thread.sleep(300);
        assertThat(f.simulator.ledger().submits()).isEqualTo(1);
    }

    @Test
    void aResponseTimeoutOnALiveLinkIsResubmittedByPolicyAndEveryResubmitIsCounted() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults().faults(FaultOptions.none().responseDelayMs(400)));
        SmppChannel channel = f.start("response_timeout_ms", 150, "outcome_unknown_policy", "resubmit");
        SubmitOutcome outcome = await(channel.submit(new OutboundSms("slow", "+8613900000002", SimChannelFixture.GSM)));
        // Every answer is late: each attempt is outcome-unknown, resubmitted up to the cap, then given up.
        int resubmits = outcome.parts().get(0).outcomeUnknownResubmits();
        assertThat(outcome.status()).isEqualTo(SmsEvent.STATUS_OUTCOME_UNKNOWN);
        assertThat(resubmits).isPositive();
        assertThat(channel.outcomeUnknownCount()).isEqualTo(resubmits + 1L);
        assertThat(f.registry.get("qingfeng.smpp.outcome.unknown").tag("channel", "sim").counter().count())
                .isEqualTo(resubmits + 1.0);
        waitFor(() -> f.simulator.ledger().submits() == resubmits + 1, 10_000);
        assertThat(f.simulator.ledger().submitsPerDestination()).containsEntry("8613900000002", resubmits + 1);
    }

    @Test
    void badInputFailsWithAClearErrorAndNothingIsSent() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults());
        SmppChannel channel = f.start(f.memory, new SmsEncoder(2, false));
        assertRefused(channel, SimChannelFixture.CHINESE_THREE_PARTS, "limit is 2 parts");
        assertRefused(channel, "", "empty");
        assertRefused(channel, "abc\uD800def", "unpaired surrogate");
        assertRefused(channel, "\uDC00", "unpaired surrogate");
        // Over the default limit of 10 parts too.
        SmppChannel defaults = new SmppChannel(f.vertx, f.config("plain"), f.memory, f.registry);
        await(defaults.start().compose(v -> defaults.awaitBound()));
        try {
            assertRefused(defaults, "廉".repeat(67 * 10 + 1), "limit is 10 parts");
        } finally {
            await(defaults.close());
        }
        assertThat(f.simulator.ledger().submits()).isZero();
        assertThat(f.simulator.ledger().entries()).isEmpty();
        assertThat(f.memory.events).isEmpty();
    }

    private static void assertRefused(SmppChannel channel, String text, String reason) {
        assertThatThrownBy(() -> await(channel.submit(new OutboundSms("bad", "+8613900000003", text))))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad")
                .hasMessageContaining(reason);
    }
}
