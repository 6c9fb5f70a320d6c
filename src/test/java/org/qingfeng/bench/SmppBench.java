package org.qingfeng.bench;

import com.jsoniter.output.JsonStream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.qingfeng.sim.SimulatorOptions;
import org.qingfeng.sim.SmscSimulator;
import org.qingfeng.sim.TcpNoDelayConnectionFactory;
import org.qingfeng.sms.encoding.EncodedSms;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.encoding.SmsPart;
import org.qingfeng.sms.events.InboundSms;
import org.qingfeng.sms.events.SmsEvent;
import org.qingfeng.sms.events.SmsEventJson;
import org.qingfeng.sms.events.SmsEventPublisher;
import org.qingfeng.sms.smpp.ChannelConfig;
import org.qingfeng.sms.smpp.OutboundSms;
import org.qingfeng.sms.smpp.SmppChannel;
import org.qingfeng.sms.smpp.SubmitOutcome;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * scripts/bench/smpp.sh: in one run, on loopback, against one in-process SMSC simulator with
 * receipts on, window 50 and no throttle:
 * (a) the Qingfeng connector (SmppChannel) → simulator, parts/s;
 * (b) a raw jSMPP client (TCP_NODELAY, 50 threads, synchronous submitShortMessage) → a simulator
 *     with the same settings, the ceiling;
 * and the ratio. Each phase gets a fresh simulator: with one shared simulator, phase (b) inherited
 * phase (a)'s receipt backlog (the simulator redelivers undelivered receipts to any receiver of the
 * same account, i.e. to the raw client) and a ledger already a million entries large. Both send the same mix (GSM-7, Chinese, 3-part Chinese, 2-part GSM-7) and both
 * acknowledge every receipt; the connector publishes submit results and receipts to an in-memory
 * publisher that writes each event's JSON as the Kafka publisher does, and counts it (Kafka is
 * measured separately, see BENCHMARKS.md).
 *
 * <p>Usage: {@code SmppBench [seconds=60]}: seconds measured per client, in {@code SMPP_BENCH_ROUNDS}
 * (default 2) alternating phases of seconds/rounds each, each phase with a fresh simulator; a warm-up of min(10, seconds/6) s precedes each phase,
 * and before both an unmeasured run of each client for as long ({@code SMPP_BENCH_PREWARM}
 * seconds; 0 for none, the methodology before 2026-12-06). {@code SMPP_BENCH_RAW_FIRST=1}
 * measures the raw client first. {@code SMPP_BENCH_GC=0} skips the full GC before each measured phase.
 */
public final class SmppBench {
    private static final int WINDOW = 50;
    private static final String[] TEXTS = {
        "Qingfeng reminder: festivals are for family, not for gifts. Keep it clean.",
        "【余庆县纪委】节日将至，请廉洁过节，拒收红包礼金。",
        "【余庆县纪委】廉洁过节提醒：" + "严禁公款吃喝、公款旅游，严禁收送礼品礼金。".repeat(7),
        "Clean festival {rules}: no gifts over 0 EUR [none], no banquets | no cards ~ "
                + "report to 12388. ".repeat(5) + "Thank you!",
    };

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int warmup = Math.max(1, Math.min(10, seconds / 6));
        System.out.printf("SMPP bench: %d s measured per client, each phase after %d s warm-up, window %d, receipts on, no throttle, %d cores%n",
                seconds, warmup, WINDOW, Runtime.getRuntime().availableProcessors());
        CountingPublisher.warmUp();
        // The phases share most of their code (jSMPP, the simulator): measured first in a fresh JVM,
        // the connector paid the JIT compilation of all of it (C2 threads took ~0.4 of a core in
        // its 20 s phase, ~0.15 in the raw one). An unmeasured run of both clients first evens that.
        int prewarm = Integer.parseInt(System.getenv().getOrDefault("SMPP_BENCH_PREWARM", String.valueOf(warmup)));
        boolean rawFirst = "1".equals(System.getenv("SMPP_BENCH_RAW_FIRST"));
        if (prewarm > 0) {
            System.out.printf("pre-warm (not measured): %d s of each client, each against a fresh simulator "
                    + "(SMPP_BENCH_PREWARM=0 skips it)%n", prewarm);
            try (SmscSimulator smsc = simulator()) {
                connector(smsc, prewarm, 0);
            }
            try (SmscSimulator smsc = simulator()) {
                raw(smsc, prewarm, 0);
            }
        }
        // The machine's load swings within a run (other work shares it), and one 60 s phase of each
        // client met different loads: the ratio ranged 0.53-0.94 on the same code. Alternating
        // shorter phases in rounds spreads both clients over the same swings; the aggregate is all
        // of one client's parts over all of its measured seconds. SMPP_BENCH_ROUNDS=1 is the old single pair.
        int rounds = Math.max(1, Integer.parseInt(System.getenv().getOrDefault("SMPP_BENCH_ROUNDS", "2")));
        int perPhase = Math.max(1, seconds / rounds);
        System.out.printf("%d round(s) of %d s per client each, alternating (SMPP_BENCH_ROUNDS), %s first%n",
                rounds, perPhase, rawFirst ? "raw" : "connector");
        Measured connector = new Measured(0, 0);
        Measured raw = new Measured(0, 0);
        List<String> pairs = new ArrayList<>();
        boolean gcBetween = !"0".equals(System.getenv("SMPP_BENCH_GC"));
        for (int round = 1; round <= rounds; round++) {
            Measured roundConnector = null;
            Measured roundRaw = null;
            for (int phase = 0; phase < 2; phase++) {
                if (gcBetween) {
                    collectBetweenPhases();
                }
                if ((phase == 0) != rawFirst) {
                    try (SmscSimulator smsc = simulator()) {
                        roundConnector = connector(smsc, warmup, perPhase);
                        System.out.printf("  round %d connector -> simulator: %.0f parts/s%n", round, roundConnector.rate());
                        printSimulator(smsc);
                    }
                } else {
                    try (SmscSimulator smsc = simulator()) {
                        roundRaw = raw(smsc, warmup, perPhase);
                        System.out.printf("  round %d raw jSMPP client -> simulator: %.0f parts/s%n", round, roundRaw.rate());
                        printSimulator(smsc);
                    }
                }
            }
            connector = connector.plus(roundConnector);
            raw = raw.plus(roundRaw);
            pairs.add(String.format("round %d: connector %.0f, raw %.0f parts/s, ratio %.2f (load %s)",
                    round, roundConnector.rate(), roundRaw.rate(), roundConnector.rate() / roundRaw.rate(), loadAverage()));
        }
        pairs.forEach(System.out::println);
        System.out.printf("(a) Qingfeng connector -> simulator: %.0f parts/s (%d parts in %.1f s over %d round(s))%n",
                connector.rate(), connector.parts(), connector.seconds(), rounds);
        System.out.printf("(b) raw jSMPP client (50 threads, sync) -> simulator: %.0f parts/s (%d parts in %.1f s over %d round(s))%n",
                raw.rate(), raw.parts(), raw.seconds(), rounds);
        System.out.printf("ratio connector / raw = %.2f (target >= 0.80; connector target >= 5000 parts/s)%n",
                connector.rate() / raw.rate());
        System.exit(0);
    }

    /** Parts the SMSC accepted in a measured phase, and the phase's seconds. */
    record Measured(long parts, double seconds) {
        double rate() {
            return seconds > 0 ? parts / seconds : 0;
        }

        Measured plus(Measured other) {
            return new Measured(parts + other.parts, seconds + other.seconds);
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * A full collection before each measured phase (SMPP_BENCH_GC=0 skips it): each phase's
     * simulator keeps every submit in its ledger (about a million entries a minute) and
     * schedules every receipt; once it is closed that is old-generation garbage, and without
     * this the next phase paid its marking and mixed collections, so whichever phase came
     * second ran on a dirtier heap.
     */
    private static void collectBetweenPhases() {
        System.gc();
        System.gc();
        System.out.printf("    (full GC before the phase: heap %d MB in use)%n", heapUsedMb());
    }

    /** The same settings for both phases. */
    private static SmscSimulator simulator() throws Exception {
        return SmscSimulator.start(new SimulatorOptions().port(0).httpPort(-1)
                .receiptDelayMs(10).receiptThreads(16).seed(1));
    }

    private static void printSimulator(SmscSimulator smsc) {
        System.out.printf("    simulator: %d submits, %d receipts sent, %d receipts failed%n",
                smsc.summary().submits, smsc.summary().receiptsSent, smsc.summary().receiptsFailed);
    }

    /** Keeps the channel's queue fed with messages and counts the parts the SMSC accepted. */
    private static Measured connector(SmscSimulator smsc, int warmup, int seconds) throws Exception {
        Vertx vertx = Vertx.vertx();
        Map<String, Object> yaml = new HashMap<>();
        yaml.put("host", "127.0.0.1");
        yaml.put("port", smsc.port());
        yaml.put("system_id", "qingfeng");
        yaml.put("source_address", "106900001234");
        yaml.put("window", WINDOW);
        yaml.put("parts_per_second", 0);
        ChannelConfig config = ChannelConfig.fromMap("bench", yaml, Map.of(ChannelConfig.defaultPasswordEnv("bench"), "secret"));
        CountingPublisher publisher = new CountingPublisher();
        SmppChannel channel = new SmppChannel(vertx, config, publisher, new SimpleMeterRegistry(),
                ZoneId.of("Asia/Shanghai"), new SmsEncoder());
        await(channel.start().compose(v -> channel.awaitBound()));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong next = new AtomicLong();
        LongAdder failed = new LongAdder();
        // Enough messages queued that the window never runs dry; each completion feeds one more.
        int outstanding = WINDOW * 20;
        CountDownLatch drained = new CountDownLatch(outstanding);
        for (int i = 0; i < outstanding; i++) {
            feed(channel, next, running, failed, drained);
        }
        Measured rate = measure(smsc, warmup, seconds);
        running.set(false);
        drained.await(60, TimeUnit.SECONDS);
        await(channel.close());
        await(vertx.close());
        System.out.printf("    connector: %d messages, %d not accepted, %d events published (%d MB of JSON)%n",
                next.get(), failed.sum(), publisher.events.sum(), publisher.bytes.sum() >> 20);
        return rate;
    }

    private static void feed(SmppChannel channel, AtomicLong next, AtomicBoolean running, LongAdder failed,
                             CountDownLatch drained) {
        if (!running.get()) {
            drained.countDown();
            return;
        }
        long n = next.getAndIncrement();
        channel.submit(new OutboundSms("b-" + n, "+86139" + eightDigits(n), TEXTS[(int) (n % 4)]))
                .onComplete(ar -> {
                    if (ar.failed() || !ar.result().accepted()) {
                        failed.increment();
                    }
                    feed(channel, next, running, failed, drained);
                });
    }

    /**
     * n modulo 10^8, zero-padded: both phases build destinations with this. (String.format cost
     * several microseconds a call, and in phase (a) it ran on the connector's one event loop,
     * since the feed runs in the completion callbacks, while phase (b) spread it over 50 threads.)
     */
    static String eightDigits(long n) {
        String digits = Long.toString(n % 100_000_000);
        return "00000000".substring(digits.length()) + digits;
    }

    /** 50 threads, each sending messages part by part with jSMPP's blocking submit. */
    private static Measured raw(SmscSimulator smsc, int warmup, int seconds) throws Exception {
        SMPPSession session = new SMPPSession(new TcpNoDelayConnectionFactory());
        session.setPduProcessorDegree(WINDOW * 2);
        session.setQueueCapacity(2_000);
        session.setTransactionTimer(10_000);
        session.setMessageReceiverListener(new AckingListener());
        session.connectAndBind("127.0.0.1", smsc.port(), new BindParameter(BindType.BIND_TRX, "qingfeng", "secret", "",
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), 10_000);
        SmsEncoder encoder = new SmsEncoder();
        List<EncodedSms> encoded = new ArrayList<>();
        for (int i = 0; i < TEXTS.length; i++) {
            encoded.add(encoder.encode(TEXTS[i], i));
        }
        // Each part's short_message built before the phase: the connector no longer joins or copies
        // it per submit, so neither does the ceiling.
        Map<SmsPart, byte[]> shortMessages = new java.util.IdentityHashMap<>();
        encoded.forEach(sms -> sms.partList().forEach(part -> shortMessages.put(part, part.shortMessage())));
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder errors = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < WINDOW; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                long n = id;
                while (running.get()) {
                    EncodedSms sms = encoded.get((int) (n % 4));
                    String destination = "86138" + eightDigits(n);
                    for (SmsPart part : sms.partList()) {
                        try {
                            session.submitShortMessage("", TypeOfNumber.valueOf((byte) 5), NumberingPlanIndicator.UNKNOWN,
                                    "106900001234", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, destination,
                                    new ESMClass(part.udh() != null ? 0x40 : 0), (byte) 0, (byte) 1, null, null,
                                    new RegisteredDelivery(1), (byte) 0,
                                    DataCodings.newInstance((byte) sms.encoding().dataCoding()), (byte) 0,
                                    shortMessages.get(part)); // built once, as the connector's parts are
                        } catch (Exception e) {
                            errors.increment();
                        }
                    }
                    n += WINDOW;
                }
            }, "raw-submit-" + t);
            thread.start();
            threads.add(thread);
        }
        Measured rate = measure(smsc, warmup, seconds);
        running.set(false);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        session.setTransactionTimer(2_000);
        session.unbindAndClose();
        System.out.printf("    raw: %d submit errors%n", errors.sum());
        return rate;
    }

    /** Parts accepted by the SMSC over {@code seconds}, after {@code warmup}. */
    private static Measured measure(SmscSimulator smsc, int warmup, int seconds) throws InterruptedException {
        Thread.sleep(warmup * 1000L);
        if (seconds == 0) {
            return new Measured(0, 0); // a pre-warm run
        }
        long startParts = smsc.ledger().submits();
        long startReceipts = smsc.summary().receiptsSent;
        long startCpu = processCpuNanos();
        Map<String, Long> startSwitches = contextSwitches();
        Map<Long, long[]> startThreads = threadCpu();
        long startGc = gcMillis();
        long start = System.nanoTime();
        long lastParts = startParts;
        long lastCpu = startCpu;
        long lastGc = gcMillis();
        long last = start;
        for (int s = 1; s <= seconds; s++) {
            Thread.sleep(1000);
            if (s % 10 == 0 || s == seconds) {
                // Per interval too: a cumulative rate hides a phase that slows down as it goes.
                long nowParts = smsc.ledger().submits();
                long nowCpu = processCpuNanos();
                long nowGc = gcMillis();
                long now = System.nanoTime();
                long intervalParts = Math.max(1, nowParts - lastParts);
                System.out.printf("    %3d s: %.0f parts/s so far; last interval %.0f parts/s, %.0f us CPU/part, GC %d ms, heap %d MB%n",
                        s, (nowParts - startParts) / ((now - start) / 1e9), (nowParts - lastParts) / ((now - last) / 1e9),
                        (nowCpu - lastCpu) / 1e3 / intervalParts, nowGc - lastGc, heapUsedMb());
                lastParts = nowParts;
                lastCpu = nowCpu;
                lastGc = nowGc;
                last = now;
            }
        }
        long parts = smsc.ledger().submits() - startParts;
        double elapsed = (System.nanoTime() - start) / 1e9;
        printContextSwitches(startSwitches, contextSwitches(), parts, gcMillis() - startGc);
        printCpuByThreadGroup(startThreads, threadCpu(), parts);
        // CPU of the whole JVM (simulator included) per part: what the phase costs, whatever the
        // other processes on a shared machine left it.
        System.out.printf("    JVM CPU %.0f us per part, %.2f cores used; receipts acknowledged %.0f/s%n",
                (processCpuNanos() - startCpu) / 1e3 / Math.max(1, parts), (processCpuNanos() - startCpu) / 1e9 / elapsed,
                (smsc.summary().receiptsSent - startReceipts) / elapsed);
        return new Measured(parts, elapsed);
    }

    /**
     * Voluntary and involuntary context switches summed over the JVM's live threads (Linux
     * /proc/self/task/N/status; /proc/self/status counts the main thread only), in total and
     * voluntary ones by thread group (the native thread name, digits replaced). A phase's threads
     * live from before its measurement to after it, so the difference is the phase's.
     */
    static Map<String, Long> contextSwitches() {
        Map<String, Long> sum = new HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return sum;
        }
        for (java.io.File task : tasks) {
            try {
                String group = null;
                for (String line : java.nio.file.Files.readAllLines(new java.io.File(task, "status").toPath())) {
                    if (line.startsWith("Name:")) {
                        group = line.substring(5).trim().replaceAll("[0-9]+", "N");
                    } else if (line.startsWith("voluntary_ctxt_switches:")) {
                        long n = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        sum.merge(" voluntary", n, Long::sum);
                        sum.merge(group, n, Long::sum);
                    } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                        sum.merge(" involuntary", Long.parseLong(line.substring(line.indexOf(':') + 1).trim()), Long::sum);
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                // the thread ended while we read: its switches are not counted at either end
            }
        }
        return sum;
    }

    private static void printContextSwitches(Map<String, Long> start, Map<String, Long> end, long parts, long gcMs) {
        double per = Math.max(1, parts);
        StringBuilder line = new StringBuilder(String.format(
                "    context switches per part: %.2f voluntary, %.2f involuntary (threads alive at both ends); GC %d ms in the phase%n"
                        + "    voluntary switches per part by thread group:",
                (end.getOrDefault(" voluntary", 0L) - start.getOrDefault(" voluntary", 0L)) / per,
                (end.getOrDefault(" involuntary", 0L) - start.getOrDefault(" involuntary", 0L)) / per, gcMs));
        end.entrySet().stream().filter(e -> !e.getKey().startsWith(" "))
                .map(e -> Map.entry(e.getKey(), e.getValue() - start.getOrDefault(e.getKey(), 0L)))
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(8)
                .forEach(e -> line.append(String.format(" %s %.2f;", e.getKey(), e.getValue() / per)));
        System.out.println(line);
    }

    /** CPU time (ns) and user time of every live thread, by id, with its name. */
    private static Map<Long, long[]> threadCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, long[]> cpu = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, new long[] {t});
            }
        }
        return cpu;
    }

    /**
     * The phase's CPU per part by thread group (digits in the name replaced), largest first: where
     * a client's cost sits (its submit threads, jSMPP's reader and PDU threads, the simulator's).
     * A thread that ended during the phase is not counted.
     */
    private static void printCpuByThreadGroup(Map<Long, long[]> start, Map<Long, long[]> end, long parts) {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new HashMap<>();
        for (var e : end.entrySet()) {
            var info = mx.getThreadInfo(e.getKey());
            if (info == null) {
                continue;
            }
            long before = start.containsKey(e.getKey()) ? start.get(e.getKey())[0] : 0;
            byGroup.merge(info.getThreadName().replaceAll("[0-9a-f]*[0-9][0-9a-f]*", "N"), e.getValue()[0] - before, Long::sum);
        }
        long all = byGroup.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder line = new StringBuilder(String.format(
                "    CPU us per part in Java threads %.1f (the rest of the JVM's: GC, JIT); by thread group:", all / 1e3 / Math.max(1, parts)));
        byGroup.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(8)
                .forEach(g -> line.append(String.format(" %s %.1f;", g.getKey(), g.getValue() / 1e3 / Math.max(1, parts))));
        System.out.println(line);
    }

    private static long gcMillis() {
        long total = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static long heapUsedMb() {
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /**
     * The connector's publisher for the bench: does what {@code KafkaSmsEventPublisher} does
     * before it hands a record to the Kafka producer (the partition key, the event's JSON
     * written the way it writes it), counts, and acknowledges at once. Kafka itself is not in the loop.
     */
    private static final class CountingPublisher implements SmsEventPublisher {
        final LongAdder events = new LongAdder();
        final LongAdder bytes = new LongAdder();

        /** jsoniter builds its codecs on first use (seconds): before the phase, not in it. */
        static void warmUp() {
            SmsEvent event = new SmsEvent();
            event.channel = "bench";
            event.smscId = "1";
            JsonStream.serialize(event);
            JsonStream.serialize(new InboundSms());
        }

        @Override
        public Future<Void> publishEvent(SmsEvent event) {
            bytes.add(event.partitionKey().length() + SmsEventJson.write(event).length());
            events.increment();
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> publishInbound(InboundSms message) {
            bytes.add(message.source.length() + JsonStream.serialize(message).length());
            events.increment();
            return Future.succeededFuture();
        }
    }

    /** The raw client acknowledges every receipt at once. */
    private static final class AckingListener implements MessageReceiverListener {
        @Override
        public void onAcceptDeliverSm(DeliverSm deliverSm) {
        }

        @Override
        public void onAcceptAlertNotification(AlertNotification alertNotification) {
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("data_sm not supported", 0x03);
        }
    }
}
