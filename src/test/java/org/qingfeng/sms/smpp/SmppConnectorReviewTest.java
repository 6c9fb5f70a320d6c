package org.qingfeng.sms.smpp;

import io.micrometer.core.instrument.Meter;
import org.jsmpp.SMPPConstant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.sim.FaultOptions;
import org.qingfeng.sim.LedgerEntry;
import org.qingfeng.sim.SimulatorOptions;
import org.qingfeng.sim.SmscSimulator;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.events.SmsEvent;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.qingfeng.sms.smpp.SimChannelFixture.await;
import static org.qingfeng.sms.smpp.SimChannelFixture.totalParts;
import static org.qingfeng.sms.smpp.SimChannelFixture.waitFor;

/** Issue 3, point 2 and 6, one test per connector behaviour against the simulator. */
@Timeout(value = 60)
class SmppConnectorReviewTest {
    private SimChannelFixture f;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void transmitterPlusReceiverBindSendsOnOneAndReceivesReceiptsAndMoOnTheOther() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults());
        f.start("bind_mode", "transmitter_receiver");
        assertThat(f.simulator.summary().binds).isEqualTo(2);
        List<SubmitOutcome> outcomes = f.sendAll(40);
        assertThat(outcomes).allMatch(SubmitOutcome::accepted);
        int total = totalParts(40);
        waitFor(() -> f.memory.ofType(SmsEvent.TYPE_RECEIPT).stream().map(e -> e.smscId).distinct().count() >= total, 20_000);
        assertThat(f.memory.ofType(SmsEvent.TYPE_RECEIPT).stream().map(e -> e.smscId).distinct()).hasSize(total);
        f.simulator.sendMo("8613812345678", "106900001234", "退订");
        waitFor(() -> !f.memory.inbound.isEmpty(), 10_000);
        assertThat(f.memory.inbound).singleElement().satisfies(mo -> assertThat(mo.text).isEqualTo("退订"));
    }

    @Test
    void queueFullSlowsTheChannelAndRetriesInOrderUntilEverythingIsAccepted() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults().faults(FaultOptions.none().queueFullEvery(50)));
        SmppChannel channel = f.start();
        List<SubmitOutcome> outcomes = f.sendAll(300);
        assertThat(outcomes).allMatch(SubmitOutcome::accepted);
        assertThat(f.simulator.summary().rejected).isPositive();
        assertThat(f.registry.get("qingfeng.smpp.throttled").tag("channel", "sim").tag("command_status", "0x14")
                .counter().count()).isEqualTo((double) f.simulator.summary().rejected);
        // Each part reached the SMSC once (a queue-full answer is a definite "not taken").
        assertThat(f.simulator.ledger().submits()).isEqualTo(totalParts(300));
        assertThat(channel.outcomeUnknownCount()).isZero();
        // In order: a refused part is retried before its successors, so the SMSC took every
        // message's parts 1, 2, 3 in that order.
        java.util.Map<String, List<Integer>> sequences = new java.util.HashMap<>();
        for (org.qingfeng.sim.LedgerEntry e : f.simulator.ledger().entries()) {
            if (e.concatTotal > 1) {
                sequences.computeIfAbsent(e.destination + "/" + e.concatReference, k -> new java.util.ArrayList<>())
                        .add(e.concatSequence);
            }
        }
        assertThat(sequences).isNotEmpty();
        assertThat(sequences.values()).allSatisfy(seq -> assertThat(seq).isSorted().doesNotHaveDuplicates());
    }

    @Test
    void throttledAnswersHalveTheRateAndEverythingIsStillSentOnce() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults().maxSubmitsPerSecond(400));
        SmppChannel channel = f.start();
        assertThat(channel.currentRate()).as("unlimited before any refusal").isZero();
        // Watch the rate the channel allows while it sends: the refusals must bring it down.
        java.util.concurrent.atomic.AtomicReference<Double> lowest = new java.util.concurrent.atomic.AtomicReference<>(0.0);
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                double r = channel.currentRate();
                if (r > 0 && (lowest.get() == 0 || r < lowest.get())) {
                    lowest.set(r);
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        List<SubmitOutcome> outcomes;
        try {
            outcomes = f.sendAll(600);
        } finally {
            watcher.interrupt();
        }
        assertThat(lowest.get()).as("the channel slowed down to a limited rate").isPositive();
        assertThat(outcomes).allMatch(SubmitOutcome::accepted);
        assertThat(f.simulator.summary().throttled).isPositive();
        assertThat(f.registry.get("qingfeng.smpp.throttled").tag("channel", "sim").tag("command_status", "0x58")
                .counter().count()).isPositive();
        assertThat(f.simulator.ledger().submits()).isEqualTo(totalParts(600));
        assertThat(channel.outcomeUnknownCount()).isZero();
    }

    @Test
    void aPermanentErrorFailsTheMessageWithItsSmppStatusAndSendsNoFurtherParts() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults()
                .faults(FaultOptions.none().errorRate(1.0).errorStatus(SMPPConstant.STAT_ESME_RINVDSTADR)));
        SmppChannel channel = f.start();
        SubmitOutcome outcome = await(channel.submit(new OutboundSms("perm", "+8613900000009",
                SimChannelFixture.CHINESE_THREE_PARTS)));
        assertThat(outcome.accepted()).isFalse();
        assertThat(outcome.status()).isEqualTo(SmsEvent.STATUS_REJECTED);
        assertThat(outcome.commandStatus()).isEqualTo(SMPPConstant.STAT_ESME_RINVDSTADR);
        assertThat(outcome.parts()).extracting(PartOutcome::status)
                .containsExactly(SmsEvent.STATUS_REJECTED, SubmitOutcome.NOT_SENT, SubmitOutcome.NOT_SENT);
        // One attempt only: permanent errors are not retried.
        assertThat(f.simulator.summary().rejected).isEqualTo(1);
        assertThat(f.memory.ofType(SmsEvent.TYPE_SUBMIT_RESULT)).singleElement().satisfies(e -> {
            assertThat(e.status).isEqualTo(SmsEvent.STATUS_REJECTED);
            assertThat(e.commandStatus).isEqualTo(SMPPConstant.STAT_ESME_RINVDSTADR);
        });
    }

    @Test
    void aTransientErrorIsRetriedUpToMaxRetriesThenFailsWithItsStatus() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults()
                .faults(FaultOptions.none().errorRate(1.0).errorStatus(SMPPConstant.STAT_ESME_RSYSERR)));
        SmppChannel channel = f.start("max_retries", 2);
        SubmitOutcome outcome = await(channel.submit(new OutboundSms("sys", "+8613900000010", SimChannelFixture.GSM)));
        assertThat(outcome.status()).isEqualTo(SmsEvent.STATUS_REJECTED);
        assertThat(outcome.commandStatus()).isEqualTo(SMPPConstant.STAT_ESME_RSYSERR);
        assertThat(f.simulator.summary().rejected).isEqualTo(3);
    }

    @Test
    void sendsEnquireLinkOnTheConfiguredInterval() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults());
        f.start("enquire_link_seconds", 1);
        assertThat(waitFor(() -> f.simulator.summary().enquireLinks >= 2, 10_000)).isTrue();
        assertThat(f.channel.state()).isEqualTo(ChannelState.BOUND);
    }

    @Test
    void rebindsWithBackoffWhenTheSmscIsDownAndSendsOnceItIsBack() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults());
        int port = f.simulator.port();
        SmppChannel channel = f.start("rebind_backoff_min_ms", 50, "rebind_backoff_max_ms", 400);
        f.simulator.close();
        assertThat(waitFor(() -> channel.state() == ChannelState.CONNECTING, 10_000)).isTrue();
        Thread.sleep(1_500); // several failed binds, spaced by the growing, jittered backoff
        var pending = channel.submit(new OutboundSms("after", "+8613900000011", SimChannelFixture.GSM));
        assertThat(pending.isComplete()).isFalse();
        f.simulator = SmscSimulator.start(SimChannelFixture.defaults().port(port).httpPort(-1));
        SubmitOutcome outcome = await(pending);
        assertThat(outcome.accepted()).isTrue();
        assertThat(channel.state()).isEqualTo(ChannelState.BOUND);
        assertThat(f.simulator.ledger().submitsPerDestination()).containsEntry("8613900000011", 1);
    }

    @Test
    void honoursTheServersEncodingSettings() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults());
        SmppChannel channel = f.start(f.memory, new SmsEncoder(3, true));
        for (int i = 0; i < 300; i++) {
            assertThat(await(channel.submit(new OutboundSms("r-" + i, "+86139000" + String.format("%05d", i),
                    SimChannelFixture.CHINESE_THREE_PARTS))).accepted()).isTrue();
        }
        // 16-bit references: 300 consecutive messages never reuse one (8 bits would wrap at 256).
        Set<Integer> references = f.simulator.ledger().entries().stream().map(e -> e.concatReference)
                .collect(Collectors.toSet());
        assertThat(references).hasSize(300);
        assertThat(references).anySatisfy(r -> assertThat(r).isGreaterThan(255));
        assertThat(f.simulator.ledger().entries()).allSatisfy(e -> assertThat(e.concatTotal).isEqualTo(3));
    }

    @Test
    void publishesEveryPerChannelMetricOfTheIssue() throws Exception {
        f = new SimChannelFixture(SimChannelFixture.defaults().receiptMix(70, 20, 5, 5));
        SmppChannel channel = f.start("window", 20);
        List<SubmitOutcome> outcomes = f.sendAll(200);
        int total = totalParts(200);
        waitFor(() -> f.memory.ofType(SmsEvent.TYPE_RECEIPT).stream().map(e -> e.smscId).distinct().count() >= total, 20_000);
        var r = f.registry;
        assertThat(r.get("qingfeng.smpp.bound").tag("channel", "sim").gauge().value()).isEqualTo(1.0);
        assertThat(r.get("qingfeng.smpp.submits").tag("channel", "sim").tag("result", "submitted").counter().count())
                .isEqualTo(total);
        assertThat(r.get("qingfeng.smpp.window.in.use").tag("channel", "sim").gauge().value()).isZero();
        assertThat(r.get("qingfeng.smpp.response.latency").tag("channel", "sim").timer().count()).isEqualTo(total);
        assertThat(r.get("qingfeng.smpp.outcome.unknown").tag("channel", "sim").counter().count()).isZero();
        assertThat(r.get("qingfeng.smpp.inflight.at.link.loss").tag("channel", "sim").counter().count()).isZero();
        double receipts = r.get("qingfeng.smpp.receipts").tag("channel", "sim").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertThat(receipts).isEqualTo(total);
        Set<String> states = r.get("qingfeng.smpp.receipts").tag("channel", "sim").counters().stream()
                .map(c -> c.getId().getTag("state")).collect(Collectors.toSet());
        assertThat(states).contains("DELIVERED", "UNDELIVERABLE");
        // Throttled responses are counted per status once they happen (see the throttling tests).
        assertThat(r.getMeters().stream().map(Meter::getId).filter(id -> "sim".equals(id.getTag("channel")))
                .map(id -> id.getName()).collect(Collectors.toSet()))
                .contains("qingfeng.smpp.bound", "qingfeng.smpp.submits", "qingfeng.smpp.window.in.use",
                        "qingfeng.smpp.response.latency", "qingfeng.smpp.receipts", "qingfeng.smpp.outcome.unknown");
        channel.close().toCompletionStage().toCompletableFuture().get();
        f.channel = null;
        assertThat(r.get("qingfeng.smpp.bound").tag("channel", "sim").gauge().value()).isZero();
        assertThat(outcomes).allMatch(SubmitOutcome::accepted);
    }
}
