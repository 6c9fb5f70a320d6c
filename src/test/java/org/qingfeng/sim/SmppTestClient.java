package org.qingfeng.sim;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
import org.jsmpp.session.SubmitSmResult;
import org.qingfeng.sms.encoding.SmsPart;

/** A jSMPP ESME for tests: TCP_NODELAY, a transceiver bind, and a queue of every deliver_sm received. */
final class SmppTestClient implements AutoCloseable {

    static final String SOURCE = "10690001";
    static final byte RECEIPT_REQUESTED = 1;
    static final byte NO_RECEIPT = 0;

    final SMPPSession session;
    final BlockingQueue<DeliverSm> delivered = new LinkedBlockingQueue<>();
    /** Order stamp shared by receipts and submit results, to tell which came first. */
    final AtomicLong clock = new AtomicLong();
    volatile long lastDeliverStamp;

    private SmppTestClient(SMPPSession session) {
        this.session = session;
    }

    static SmppTestClient bind(int port, String systemId, String password) throws IOException {
        return bind(port, systemId, password, 8);
    }

    /** With one PDU thread the client handles PDUs in the order they came off the wire. */
    static SmppTestClient bind(int port, String systemId, String password, int pduThreads) throws IOException {
        SMPPSession session = new SMPPSession(new TcpNoDelayConnectionFactory());
        session.setTransactionTimer(2_000);
        session.setPduProcessorDegree(pduThreads);
        SmppTestClient client = new SmppTestClient(session);
        session.setMessageReceiverListener(client.listener());
        session.connectAndBind("127.0.0.1", port, new BindParameter(BindType.BIND_TRX, systemId, password, "",
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, ""), 5_000);
        return client;
    }

    String submit(String destination, int dataCoding, byte esmClass, byte[] shortMessage, byte registeredDelivery)
            throws Exception {
        SubmitSmResult result = session.submitShortMessage("", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN,
                SOURCE, TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, destination, new ESMClass(esmClass),
                (byte) 0, (byte) 1, null, null, new RegisteredDelivery(registeredDelivery), (byte) 0,
                DataCodings.newInstance((byte) dataCoding), (byte) 0, shortMessage);
        return result.getMessageId();
    }

    String submit(String destination, int dataCoding, SmsPart part, byte registeredDelivery) throws Exception {
        byte esmClass = part.udh() != null ? (byte) 0x40 : 0;
        return submit(destination, dataCoding, esmClass, part.shortMessage(), registeredDelivery);
    }

    DeliverSm nextDelivered(long timeoutMs) throws InterruptedException {
        return delivered.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        session.unbindAndClose();
    }

    private MessageReceiverListener listener() {
        return new MessageReceiverListener() {
            @Override
            public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
                lastDeliverStamp = clock.incrementAndGet();
                delivered.add(deliverSm);
            }

            @Override
            public void onAcceptAlertNotification(AlertNotification alertNotification) {
            }

            @Override
            public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
                throw new ProcessRequestException("not supported", 0x03);
            }
        };
    }
}
