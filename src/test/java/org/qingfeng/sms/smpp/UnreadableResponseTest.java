package org.qingfeng.sms.smpp;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.qingfeng.sms.events.SmsEvent;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An SMSC whose submit_sm_resp jSMPP cannot decompose (a message_id over SMPP's 65 octets):
 * jSMPP looks the request up, answers generic_nack and never completes it. A pipelined submit
 * must not hold its window slot for ever: it is answered as outcome unknown after the response
 * timeout, and the channel goes on sending.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnreadableResponseTest {
    private static final int BIND_TRANSCEIVER = 0x00000009;
    private static final int SUBMIT_SM = 0x00000004;
    private static final int ENQUIRE_LINK = 0x00000015;
    private static final int UNBIND = 0x00000006;
    private static final int RESP = 0x80000000;

    private final Vertx vertx = Vertx.vertx();
    private ServerSocket server;
    private SmppChannel channel;
    private final AtomicInteger submits = new AtomicInteger();

    @AfterEach
    void tearDown() throws Exception {
        if (channel != null) {
            await(channel.close());
        }
        server.close();
        await(vertx.close());
    }

    @Test
    void anUnreadableSubmitResponseIsOutcomeUnknownAfterTheTimeoutAndFreesItsWindowSlot() throws Exception {
        server = new ServerSocket(0);
        Thread smsc = new Thread(this::serveOneSession, "raw-smsc");
        smsc.setDaemon(true);
        smsc.start();
        Map<String, Object> yaml = new HashMap<>();
        yaml.put("host", "127.0.0.1");
        yaml.put("port", server.getLocalPort());
        yaml.put("system_id", "qingfeng");
        yaml.put("source_address", "106900001234");
        yaml.put("window", 1);
        yaml.put("response_timeout_ms", 300);
        yaml.put("outcome_unknown_policy", "fail");
        ChannelConfig config = ChannelConfig.fromMap("raw", yaml, Map.of(ChannelConfig.defaultPasswordEnv("raw"), "secret"));
        channel = new SmppChannel(vertx, config, new InMemorySmsEventPublisher(), new SimpleMeterRegistry());
        await(channel.start().compose(v -> channel.awaitBound()));

        // Window 1: the second message is sent only once the first one's slot is free again.
        SubmitOutcome first = await(channel.submit(new OutboundSms("m1", "+8613900000001", "one")));
        SubmitOutcome second = await(channel.submit(new OutboundSms("m2", "+8613900000002", "two")));

        assertThat(first.status()).isEqualTo(SmsEvent.STATUS_OUTCOME_UNKNOWN);
        assertThat(second.status()).isEqualTo(SmsEvent.STATUS_OUTCOME_UNKNOWN);
        assertThat(submits.get()).isEqualTo(2);
        assertThat(channel.outcomeUnknownCount()).isEqualTo(2);
        assertThat(channel.windowInUse()).isZero();
        assertThat(channel.state()).isEqualTo(ChannelState.BOUND);
    }

    /** Binds one transceiver; answers every submit_sm with a message_id too long for SMPP. */
    private void serveOneSession() {
        try (Socket socket = server.accept()) {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                int length = in.readInt();
                int command = in.readInt();
                in.readInt(); // command_status
                int sequence = in.readInt();
                in.skipNBytes(length - 16);
                switch (command) {
                    case BIND_TRANSCEIVER -> write(out, BIND_TRANSCEIVER | RESP, sequence, cString("raw"));
                    case SUBMIT_SM -> {
                        submits.incrementAndGet();
                        write(out, SUBMIT_SM | RESP, sequence, cString("x".repeat(100)));
                    }
                    case ENQUIRE_LINK -> write(out, ENQUIRE_LINK | RESP, sequence, new byte[0]);
                    case UNBIND -> write(out, UNBIND | RESP, sequence, new byte[0]);
                    default -> { } // generic_nack from the client for the unreadable responses
                }
            }
        } catch (IOException e) {
            // the channel closed the link, or the test closed the server
        }
    }

    private static byte[] cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        byte[] withNul = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, withNul, 0, bytes.length);
        return withNul;
    }

    private static void write(DataOutputStream out, int command, int sequence, byte[] body) throws IOException {
        out.writeInt(16 + body.length);
        out.writeInt(command);
        out.writeInt(0);
        out.writeInt(sequence);
        out.write(body);
        out.flush();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
