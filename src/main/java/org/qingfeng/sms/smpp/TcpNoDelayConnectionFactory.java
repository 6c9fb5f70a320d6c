package org.qingfeng.sms.smpp;

import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.ConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * jSMPP's default factory leaves Nagle's algorithm on; with receipts interleaved on the same
 * socket, small submit_sm PDUs then wait for delayed ACKs and throughput falls from thousands
 * to about a hundred per second. This factory sets TCP_NODELAY and a connect timeout.
 */
final class TcpNoDelayConnectionFactory implements ConnectionFactory {
    private final int connectTimeoutMs;

    TcpNoDelayConnectionFactory(int connectTimeoutMs) {
        this.connectTimeoutMs = connectTimeoutMs;
    }

    @Override
    public Connection createConnection(String host, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            return new SocketConnection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
