package org.qingfeng.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.MessageState;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.qingfeng.sms.encoding.EncodedSms;
import org.qingfeng.sms.encoding.SmsDecoder;
import org.qingfeng.sms.encoding.SmsEncoder;
import org.qingfeng.sms.encoding.SmsPart;

@Timeout(value = 15, unit = TimeUnit.SECONDS)
class SmscSimulatorTest {

    static final String CHINESE = "【余庆县纪委】春节将至，廉洁过节";
    static final String GSM_TEXT = "Happy Spring Festival! Keep it clean @ home & at work.";
    static final String LONG_CHINESE = CHINESE + "。严守中央八项规定精神，不收受礼品礼金，不违规操办婚丧喜庆，"
            + "不公款吃喝旅游，不私车公养，不滥发津贴补贴。清风正气过佳节，廉洁自律守初心。"
            + "请广大党员干部带头移风易俗，勤俭节约，文明过节，过一个欢乐祥和、风清气正的节日。"
            + "家风连着党风，家教关乎作风，让清风伴您度过每一个节日。举报电话12388。";
    static final String HANDSET = "13812345678";

    private final SmsEncoder encoder = new SmsEncoder();
    private final List<SmppTestClient> clients = new ArrayList<>();
    private SmscSimulator smsc;

    @BeforeAll
    static void quietLogs() {
        TestLogs.quiet();
    }

    @AfterEach
    void tearDown() {
        clients.forEach(SmppTestClient::close);
        if (smsc != null) {
            smsc.close();
        }
    }

    @Test
    void bindsWithGoodCredentialsRefusesBadOnesAndClosesPromptly() throws Exception {
        smsc = start(options());
        SmppTestClient good = client();
        assertThat(good.session.getSessionState()).isEqualTo(SessionState.BOUND_TRX);

        assertThat(bindStatus("qingfeng", "wrong")).isEqualTo(0x0E); // ESME_RINVPASWD
        assertThat(bindStatus("stranger", "secret")).isEqualTo(0x0D); // ESME_RBINDFAIL
        assertThat(smsc.summary().binds).isEqualTo(1);
        assertThat(smsc.summary().bindsRefused).isEqualTo(2);

        long started = System.nanoTime();
        smsc.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3_000);
        // jSMPP's client can end in UNBOUND instead of CLOSED: it handles the simulator's unbind on a PDU thread
        // while its reader thread meets the closed socket, and the unbind may set its state after the close.
        // Either way the link is gone; a refused connect proves the listener is too.
        TestLogs.await(() -> !good.session.getSessionState().isBound());
        assertThat(good.session.getSessionState()).isIn(SessionState.UNBOUND, SessionState.CLOSED);
        assertThatThrownBy(() -> new Socket("127.0.0.1", smsc.port()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void ledgerDecodesEachPartAndReassemblesTheMultipart() throws Exception {
        smsc = start(options());
        SmppTestClient client = client();
        submitAll(client, "13800000001", encoder.encode(GSM_TEXT, 1), SmppTestClient.NO_RECEIPT);
        submitAll(client, "13800000002", encoder.encode(CHINESE, 2), SmppTestClient.NO_RECEIPT);
        EncodedSms multipart = encoder.encode(LONG_CHINESE, 77);
        assertThat(multipart.parts()).isEqualTo(3);
        submitAll(client, "13800000003", multipart, SmppTestClient.NO_RECEIPT);

        Ledger ledger = smsc.ledger();
        assertThat(ledger.submits()).isEqualTo(5);
        List<LedgerEntry> entries = ledger.entries();
        assertThat(entries.get(0).text).isEqualTo(GSM_TEXT);
        assertThat(entries.get(0).dataCoding).isZero();
        assertThat(entries.get(0).concatTotal).isZero();
        assertThat(entries.get(1).text).isEqualTo(CHINESE);
        assertThat(entries.get(1).dataCoding).isEqualTo(8);
        for (int i = 0; i < 3; i++) {
            LedgerEntry part = entries.get(2 + i);
            assertThat(part.text).isEqualTo(multipart.partList().get(i).text());
            assertThat(part.concatReference).isEqualTo(77);
            assertThat(part.concatTotal).isEqualTo(3);
            assertThat(part.concatSequence).isEqualTo(i + 1);
            assertThat(part.esmClass & 0x40).isEqualTo(0x40);
        }
        assertThat(ledger.reassembled("13800000003", 77)).isEqualTo(LONG_CHINESE);
        assertThat(ledger.reassembled("13800000003", 78)).isNull();
        assertThat(ledger.submitsPerDestination()).containsEntry("13800000003", 3).hasSize(3);
        assertThat(entries).allSatisfy(entry -> assertThat(entry.systemId).isEqualTo("qingfeng"));
    }

    @ParameterizedTest
    @EnumSource(MessageIdFormat.class)
    void receiptsCarryTextFormTlvsAndTheSubmitId(MessageIdFormat format) throws Exception {
        smsc = start(options().messageIdFormat(format).receiptDelayMs(20));
        SmppTestClient client = client();
        String id = client.submit(HANDSET, 8, encoder.encode(CHINESE, 1).partList().get(0), SmppTestClient.RECEIPT_REQUESTED);
        assertThat(id).matches(format == MessageIdFormat.HEX ? "[0-9A-F]*[A-F][0-9A-F]*" : "[0-9]+");

        DeliverSm receipt = client.nextDelivered(3_000);
        assertThat(receipt).isNotNull();
        assertThat(receipt.getEsmClass()).isEqualTo((byte) 0x04);
        assertThat(receipt.getSourceAddr()).isEqualTo(HANDSET);
        assertThat(receipt.getDestAddress()).isEqualTo(SmppTestClient.SOURCE);
        String text = new String(receipt.getShortMessage(), StandardCharsets.US_ASCII);
        assertThat(text).matches("id:" + id + " sub:001 dlvrd:001 submit date:\\d{10} done date:\\d{10}"
                + " stat:DELIVRD err:000 text:.*");
        DeliveryReceipt parsed = receipt.getShortMessageAsDeliveryReceipt();
        assertThat(parsed.getId()).isEqualTo(id);
        assertThat(parsed.getFinalStatus()).isEqualTo(DeliveryReceiptState.DELIVRD);
        assertThat(receipt.getOptionalParameter(OptionalParameter.Receipted_message_id.class).getValueAsString())
                .isEqualTo(id);
        assertThat(receipt.getOptionalParameter(OptionalParameter.Message_state.class).getValue())
                .isEqualTo(MessageState.DELIVERED.value());
        TestLogs.await(() -> smsc.summary().receiptsSent == 1);
        assertThat(smsc.summary().receiptsSent).isEqualTo(1);
    }

    @Test
    void multipartGetsOneReceiptPerPartAndNoReceiptUnlessAsked() throws Exception {
        smsc = start(options().receiptDelayMs(10).receiptMix(0, 100, 0, 0));
        SmppTestClient client = client();
        client.submit(HANDSET, 0, encoder.encode("no receipt please", 1).partList().get(0), SmppTestClient.NO_RECEIPT);
        List<String> ids = submitAll(client, HANDSET, encoder.encode(LONG_CHINESE, 9), SmppTestClient.RECEIPT_REQUESTED);

        Set<String> receipted = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            DeliverSm receipt = client.nextDelivered(3_000);
            assertThat(receipt).isNotNull();
            assertThat(receipt.getShortMessageAsDeliveryReceipt().getFinalStatus()).isEqualTo(DeliveryReceiptState.UNDELIV);
            assertThat(receipt.getOptionalParameter(OptionalParameter.Message_state.class).getValue())
                    .isEqualTo(MessageState.UNDELIVERABLE.value());
            receipted.add(receipt.getOptionalParameter(OptionalParameter.Receipted_message_id.class).getValueAsString());
        }
        assertThat(receipted).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(client.nextDelivered(300)).as("no receipt for registered_delivery 0").isNull();
    }

    @Test
    void answersThrottledAboveTheRate() throws Exception {
        smsc = start(options().maxSubmitsPerSecond(20));
        SmppTestClient client = client();
        int accepted = 0;
        int throttled = 0;
        for (int i = 0; i < 60; i++) {
            try {
                client.submit("1380000" + (1000 + i), 0, (byte) 0, "hi".getBytes(StandardCharsets.US_ASCII), (byte) 0);
                accepted++;
            } catch (NegativeResponseException e) {
                assertThat(e.getCommandStatus()).isEqualTo(0x58);
                throttled++;
            }
        }
        assertThat(throttled).isPositive();
        assertThat(accepted).isBetween(20, 35);
        assertThat(smsc.summary().throttled).isEqualTo(throttled);
        assertThat(smsc.ledger().submits()).isEqualTo(accepted);
    }

    @Test
    void dropsTheLinkOnTheNthSubmitWithoutAnsweringIt() throws Exception {
        smsc = start(options().faults(FaultOptions.none().dropLinkEverySubmits(3)));
        SmppTestClient client = client();
        byte[] text = "hi".getBytes(StandardCharsets.US_ASCII);
        client.submit(HANDSET, 0, (byte) 0, text, (byte) 0);
        client.submit(HANDSET, 0, (byte) 0, text, (byte) 0);
        assertThatThrownBy(() -> client.submit(HANDSET, 0, (byte) 0, text, (byte) 0))
                .isNotInstanceOf(NegativeResponseException.class);
        awaitState(client, SessionState.CLOSED);
        assertThat(smsc.ledger().submits()).isEqualTo(2);
        assertThat(smsc.summary().droppedLinks).isEqualTo(1);
    }

    @Test
    void sendsTheReceiptBeforeTheResponseWhenAsked() throws Exception {
        smsc = start(options().receiptDelayMs(2_000));
        smsc.setFaults(FaultOptions.none().receiptBeforeResponse(true));
        // One PDU thread, so the client sees the two PDUs in wire order; with several, the submit_sm_resp
        // may be handled first even though the simulator wrote the receipt first.
        SmppTestClient client = SmppTestClient.bind(smsc.port(), "qingfeng", "secret", 1);
        clients.add(client);
        String id = client.submit(HANDSET, 0, encoder.encode(GSM_TEXT, 1).partList().get(0), SmppTestClient.RECEIPT_REQUESTED);
        long afterResponse = client.clock.incrementAndGet();

        DeliverSm receipt = client.nextDelivered(0);
        assertThat(receipt).as("receipt already there when submit_sm_resp arrived").isNotNull();
        assertThat(client.lastDeliverStamp).isLessThan(afterResponse);
        assertThat(receipt.getShortMessageAsDeliveryReceipt().getId()).isEqualTo(id);
    }

    @Test
    void receiptsBeforeResponsesKeepUpWithAWindowOfFiftyOnDefaultThreads() throws Exception {
        // 50 submits outstanding against the default 8 PDU threads per session: the early
        // receipts must not hold the threads that read the client's deliver_sm_resp.
        smsc = start(options().faults(FaultOptions.none().receiptBeforeResponse(true)));
        SmppTestClient client = client();
        byte[] text = "hi".getBytes(StandardCharsets.US_ASCII);
        int threads = 50;
        int each = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String destination = "861380000" + String.format("%04d", t);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        client.submit(destination, 0, (byte) 0, text, SmppTestClient.RECEIPT_REQUESTED);
                    }
                    return each;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(each);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(smsc.ledger().submits()).isEqualTo(threads * each);
        TestLogs.await(() -> client.delivered.size() >= threads * each);
        assertThat(client.delivered).hasSize(threads * each);
        assertThat(smsc.summary().receiptsFailed).isZero();
    }

    @Test
    void dropAllLinksClosesEverySession() throws Exception {
        smsc = start(options());
        SmppTestClient first = client();
        SmppTestClient second = client();
        smsc.dropAllLinks();
        awaitState(first, SessionState.CLOSED);
        awaitState(second, SessionState.CLOSED);
        assertThat(smsc.summary().droppedLinks).isEqualTo(2);
    }

    @Test
    void dropsEveryLinkOnATimerWhateverTheTraffic() throws Exception {
        smsc = start(options().dropLinksEveryMs(300));
        SmppTestClient first = client();
        awaitState(first, SessionState.CLOSED);
        SmppTestClient second = client();
        awaitState(second, SessionState.CLOSED);
        assertThat(smsc.summary().droppedLinks).isGreaterThanOrEqualTo(2);
        assertThat(smsc.ledger().submits()).isZero();
    }

    @Test
    void httpListsTheReceiptsClientsAcknowledged() throws Exception {
        smsc = start(options().receiptDelayMs(10).receiptMix(0, 100, 0, 0));
        SmppTestClient client = client();
        String id = client.submit(HANDSET, 8, encoder.encode(CHINESE, 1).partList().get(0), SmppTestClient.RECEIPT_REQUESTED);
        client.submit("13800000009", 8, encoder.encode(CHINESE, 1).partList().get(0), SmppTestClient.NO_RECEIPT);
        TestLogs.await(() -> smsc.summary().receiptsSent == 1);

        HttpResponse<String> receipts = get(HttpClient.newHttpClient(), "/receipts");
        assertThat(receipts.headers().firstValue("content-type").orElse("")).startsWith("application/x-ndjson");
        List<JsonObject> lines = receipts.body().lines().map(JsonObject::new).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).getString("message_id")).isEqualTo(id);
        assertThat(lines.get(0).getString("destination")).isEqualTo(HANDSET);
        assertThat(lines.get(0).getString("state")).isEqualTo("UNDELIV");
    }

    @Test
    void httpServesSummaryLedgerAndMo() throws Exception {
        smsc = start(options());
        SmppTestClient client = client();
        submitAll(client, "13800000001", encoder.encode(GSM_TEXT, 1), SmppTestClient.NO_RECEIPT);
        submitAll(client, "13800000002", encoder.encode(CHINESE, 2), SmppTestClient.NO_RECEIPT);
        HttpClient http = HttpClient.newHttpClient();

        JsonObject summary = new JsonObject(get(http, "/summary").body());
        assertThat(summary.getLong("submits")).isEqualTo(2);
        assertThat(summary.getLong("distinct_destinations")).isEqualTo(2);
        assertThat(summary.getLong("binds")).isEqualTo(1);
        assertThat(summary.fieldNames()).contains("receipts_sent", "throttled", "dropped_links", "mo_sent");

        HttpResponse<String> ledger = get(http, "/ledger");
        assertThat(ledger.headers().firstValue("content-type").orElse("")).startsWith("application/x-ndjson");
        List<JsonObject> lines = ledger.body().lines().map(JsonObject::new).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).getString("text")).isEqualTo(CHINESE);
        assertThat(lines.get(1).getString("destination")).isEqualTo("13800000002");
        assertThat(lines.get(1).getString("message_id")).isEqualTo(smsc.ledger().entries().get(1).messageId);

        assertThat(post(http, "{\"from\":\"13912345678\",\"to\":\"10690001\",\"text\":\"退订\"}").statusCode()).isEqualTo(202);
        DeliverSm mo = client.nextDelivered(3_000);
        assertThat(mo).isNotNull();
        assertThat(mo.getSourceAddr()).isEqualTo("13912345678");
        assertThat(mo.getDataCoding()).isEqualTo((byte) 8);
        assertThat(SmsDecoder.decodeShortMessage(mo.getDataCoding(), mo.getEsmClass(), mo.getShortMessage())).isEqualTo("退订");
        assertThat(post(http, "{\"from\":\"139\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void sendMoUsesGsmWhenTheTextAllows() throws Exception {
        smsc = start(options().httpPort(-1));
        SmppTestClient client = client();
        assertThat(smsc.httpPort()).isEqualTo(-1);
        smsc.sendMo("13912345678", "10690001", "TD");
        DeliverSm mo = client.nextDelivered(3_000);
        assertThat(mo).isNotNull();
        assertThat(mo.getDataCoding()).isZero();
        assertThat(SmsDecoder.decodeShortMessage(0, mo.getEsmClass(), mo.getShortMessage())).isEqualTo("TD");
        TestLogs.await(() -> smsc.summary().moSent == 1);
    }

    private SimulatorOptions options() {
        return new SimulatorOptions().port(0).httpPort(0).seed(42);
    }

    private SmscSimulator start(SimulatorOptions options) throws Exception {
        return SmscSimulator.start(options);
    }

    private SmppTestClient client() throws Exception {
        SmppTestClient client = SmppTestClient.bind(smsc.port(), "qingfeng", "secret");
        clients.add(client);
        return client;
    }

    private int bindStatus(String systemId, String password) {
        Throwable failure = null;
        try (SmppTestClient ignored = SmppTestClient.bind(smsc.port(), systemId, password)) {
            return 0;
        } catch (Exception e) {
            failure = e;
        }
        while (failure != null && !(failure instanceof NegativeResponseException)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("bind refused with a negative bind_resp").isNotNull();
        return ((NegativeResponseException) failure).getCommandStatus();
    }

    private static List<String> submitAll(SmppTestClient client, String destination, EncodedSms sms, byte receipt)
            throws Exception {
        List<String> ids = new ArrayList<>();
        for (SmsPart part : sms.partList()) {
            ids.add(client.submit(destination, sms.encoding().dataCoding(), part, receipt));
        }
        return ids;
    }

    private static void awaitState(SmppTestClient client, SessionState state) throws InterruptedException {
        TestLogs.await(() -> client.session.getSessionState() == state);
        assertThat(client.session.getSessionState()).isEqualTo(state);
    }

    private HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + smsc.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(HttpClient http, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + smsc.httpPort() + "/mo"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
