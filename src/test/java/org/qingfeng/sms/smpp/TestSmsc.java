package org.qingfeng.sms.smpp;

import org.jsmpp.bean.*;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.*;
import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnection;
import org.jsmpp.util.MessageId;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small in-test SMSC on jSMPP's server session (TCP_NODELAY on its sockets): answers
 * submit_sm with hex ids, sends TLV + text receipts, and can throttle, drop the link every N
 * submits, send the receipt before the submit response, drop the first transmitter just after
 * its bind, or hold receiver binds. Used until the shared simulator
 * (org.qingfeng.sim) is available in this tree.
 */
final class TestSmsc implements ServerMessageReceiverListener, AutoCloseable {
    volatile int dropLinkEverySubmits;
    volatile boolean receiptBeforeResponse;
    volatile int maxSubmitsPerSecond;
    volatile long receiptDelayMs = 5;
    /** Closes the first transmitter session 100 ms after accepting its bind (the client has seen it bound). */
    final AtomicBoolean dropFirstTransmitterBind = new AtomicBoolean();
    /** Holds each receiver bind this long before accepting it. */
    volatile long receiverBindDelayMs;
    final List<BindType> binds = new CopyOnWriteArrayList<>();

    final Map<String, AtomicInteger> submitsPerDestination = new ConcurrentHashMap<>();
    final AtomicInteger submits = new AtomicInteger();
    final AtomicInteger drops = new AtomicInteger();
    final AtomicInteger throttled = new AtomicInteger();
    final AtomicInteger receiptsSent = new AtomicInteger();
    final List<Long> submitTimesNanos = new CopyOnWriteArrayList<>();

    private final AtomicLong ids = new AtomicLong(0xA000);
    private final SMPPServerSessionListener listener;
    private final ServerSocket serverSocket;
    private final ScheduledExecutorService receipts = Executors.newScheduledThreadPool(4);
    private final ExecutorService acceptor = Executors.newSingleThreadExecutor();
    private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
    private final AtomicLong secondStart = new AtomicLong(System.nanoTime());
    private final AtomicInteger inThisSecond = new AtomicInteger();

    TestSmsc() throws IOException {
        serverSocket = new ServerSocket(0);
        listener = new SMPPServerSessionListener(0, new ServerConnectionFactory() {
            public ServerConnection listen(int port) {
                return server();
            }
            public ServerConnection listen(int port, int timeout) {
                return server();
            }
            public ServerConnection listen(int port, int timeout, int backlog) {
                return server();
            }
        });
        listener.setMessageReceiverListener(this);
        listener.setPduProcessorDegree(8);
        acceptor.submit(this::acceptLoop);
    }

    private ServerConnection server() {
        return new ServerConnection() {
            public Connection accept() throws IOException {
                Socket socket = serverSocket.accept();
                socket.setTcpNoDelay(true);
                return new SocketConnection(socket);
            }
            public void setSoTimeout(int timeout) throws IOException {
                serverSocket.setSoTimeout(timeout);
            }
            public int getSoTimeout() throws IOException {
                return serverSocket.getSoTimeout();
            }
            public void close() throws IOException {
                serverSocket.close();
            }
        };
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                SMPPServerSession session = listener.accept();
                BindRequest bind = session.waitForBind(5_000);
                if ("secret".equals(bind.getPassword())) {
                    if (bind.getBindType() == BindType.BIND_RX) {
                        sleep(receiverBindDelayMs);
                    }
                    bind.accept("testsmsc");
                    binds.add(bind.getBindType());
                    if (bind.getBindType() == BindType.BIND_TX && dropFirstTransmitterBind.compareAndSet(true, false)) {
                        sleep(100);
                        drops.incrementAndGet();
                        session.close();
                        continue;
                    }
                    sessions.add(session);
                } else {
                    bind.reject(0x0E);
                }
            } catch (Exception e) {
                if (serverSocket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession source) throws ProcessRequestException {
        if (maxSubmitsPerSecond > 0 && overRate()) {
            throttled.incrementAndGet();
            throw new ProcessRequestException("throttled", 0x58);
        }
        int n = submits.incrementAndGet();
        submitTimesNanos.add(System.nanoTime());
        submitsPerDestination.computeIfAbsent(submitSm.getDestAddress(), k -> new AtomicInteger()).incrementAndGet();
        String id = Long.toHexString(ids.incrementAndGet()).toUpperCase();
        if (dropLinkEverySubmits > 0 && n % dropLinkEverySubmits == 0) {
            drops.incrementAndGet();
            source.close(); // the response to this submit (and any still queued) is lost
            throw new ProcessRequestException("dropped", 0x08);
        }
        if (submitSm.getRegisteredDelivery() != 0) {
            if (receiptBeforeResponse) {
                // Receipt now, response 30 ms later. (Sending the receipt synchronously here would
                // park this PDU thread waiting for deliver_sm_resp, which needs a PDU thread too.)
                receipts.execute(() -> sendReceipt(source, submitSm, id));
                sleep(30);
            } else {
                receipts.schedule(() -> sendReceipt(source, submitSm, id), receiptDelayMs, TimeUnit.MILLISECONDS);
            }
        }
        try {
            return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
        } catch (Exception e) {
            throw new ProcessRequestException(e.getMessage(), 0x08);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized boolean overRate() {
        long now = System.nanoTime();
        if (now - secondStart.get() >= 1_000_000_000L) {
            secondStart.set(now);
            inThisSecond.set(0);
        }
        return inThisSecond.incrementAndGet() > maxSubmitsPerSecond;
    }

    private void sendReceipt(SMPPServerSession session, SubmitSm submitSm, String id) {
        String text = "id:" + id + " sub:001 dlvrd:001 submit date:2502011200 done date:2502011201 stat:DELIVRD err:000";
        try {
            session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN,
                    submitSm.getDestAddress(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN,
                    submitSm.getSourceAddr(), new ESMClass(0x04), (byte) 0, (byte) 0, new RegisteredDelivery(0),
                    DataCodings.ZERO, text.getBytes(StandardCharsets.ISO_8859_1),
                    new OptionalParameter.COctetString(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID.code(), id),
                    new OptionalParameter.Byte(OptionalParameter.Tag.MESSAGE_STATE, (byte) 2));
            receiptsSent.incrementAndGet();
        } catch (Exception e) {
            // the link dropped: a real SMSC would retry later; the tests that drop links do not count receipts
        }
    }

    void sendMo(String from, String to, String text) throws Exception {
        SMPPServerSession session = sessions.get(sessions.size() - 1);
        session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from,
                TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, to, new ESMClass(0), (byte) 0, (byte) 0,
                new RegisteredDelivery(0), new RawDataCoding((byte) 8), text.getBytes(StandardCharsets.UTF_16BE));
    }

    @Override
    public void close() throws Exception {
        serverSocket.close();
        sessions.forEach(SMPPServerSession::close);
        receipts.shutdownNow();
        acceptor.shutdownNow();
    }

    public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti s, SMPPServerSession src) throws ProcessRequestException {
        throw new ProcessRequestException("unsupported", 0x03);
    }
    public QuerySmResult onAcceptQuerySm(QuerySm q, SMPPServerSession src) throws ProcessRequestException {
        throw new ProcessRequestException("unsupported", 0x03);
    }
    public void onAcceptReplaceSm(ReplaceSm r, SMPPServerSession src) throws ProcessRequestException {
        throw new ProcessRequestException("unsupported", 0x03);
    }
    public void onAcceptCancelSm(CancelSm c, SMPPServerSession src) throws ProcessRequestException {
        throw new ProcessRequestException("unsupported", 0x03);
    }
    public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm b, SMPPServerSession src) throws ProcessRequestException {
        throw new ProcessRequestException("unsupported", 0x03);
    }
    public void onAcceptCancelBroadcastSm(CancelBroadcastSm c, SMPPServerSession src) throws ProcessRequestException {
        throw new ProcessRequestException("unsupported", 0x03);
    }
    public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm q, SMPPServerSession src) throws ProcessRequestException {
        throw new ProcessRequestException("unsupported", 0x03);
    }
    public DataSmResult onAcceptDataSm(DataSm d, Session src) throws ProcessRequestException {
        throw new ProcessRequestException("unsupported", 0x03);
    }
}
