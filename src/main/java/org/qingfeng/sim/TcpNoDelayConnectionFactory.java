package org.qingfeng.sim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.ConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnection;

/**
 * Client-side jSMPP connections with TCP_NODELAY set (jSMPP never sets it). Pass it to
 * {@code new SMPPSession(factory)}; both ends need it for more than ~110 submits/s.
 */
public final class TcpNoDelayConnectionFactory implements ConnectionFactory {

    private final int connectTimeoutMs;

    public TcpNoDelayConnectionFactory() {
        this(5_000);
    }

    public TcpNoDelayConnectionFactory(int connectTimeoutMs) {
        this.connectTimeoutMs = connectTimeoutMs;
    }

    @Override
    public Connection createConnection(String host, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            return new SocketConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
