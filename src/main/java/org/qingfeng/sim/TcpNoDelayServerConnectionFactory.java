package org.qingfeng.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnection;

/**
 * Server sockets for jSMPP that bind to one host and set TCP_NODELAY on every accepted socket.
 * jSMPP's own factory does neither; without TCP_NODELAY, Nagle plus delayed ACKs cap an
 * interleaved submit/receipt exchange at about a hundred PDUs per second.
 */
public final class TcpNoDelayServerConnectionFactory implements ServerConnectionFactory {

    private static final int DEFAULT_BACKLOG = 50;

    private final String host;
    private volatile ServerSocket lastBound;

    public TcpNoDelayServerConnectionFactory(String host) {
        this.host = host;
    }

    @Override
    public ServerConnection listen(int port) throws IOException {
        return listen(port, 0, DEFAULT_BACKLOG);
    }

    @Override
    public ServerConnection listen(int port, int timeout) throws IOException {
        return listen(port, timeout, DEFAULT_BACKLOG);
    }

    @Override
    public ServerConnection listen(int port, int timeout, int backlog) throws IOException {
        ServerSocket serverSocket = new ServerSocket();
        try {
            serverSocket.setReuseAddress(true);
            serverSocket.bind(new InetSocketAddress(host, port), backlog);
            serverSocket.setSoTimeout(timeout);
        } catch (IOException e) {
            serverSocket.close();
            throw e;
        }
        lastBound = serverSocket;
        return new NoDelayServerConnection(serverSocket);
    }

    /** The port actually bound by the last listen call; differs from the request when it was 0. */
    public int boundPort() {
        ServerSocket bound = lastBound;
        if (bound == null) {
            throw new IllegalStateException("not listening yet");
        }
        return bound.getLocalPort();
    }

    /** A socket connection whose output stream reports completed writes to {@link WriteSignal}. */
    private static final class SignallingConnection implements Connection {

        private final Connection delegate;
        private final OutputStream out;

        SignallingConnection(Connection delegate) {
            this.delegate = delegate;
            this.out = WriteSignal.wrap(delegate.getOutputStream());
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public InetAddress getInetAddress() {
            return delegate.getInetAddress();
        }

        @Override
        public InetAddress getLocalAddress() {
            return delegate.getLocalAddress();
        }

        @Override
        public int getPort() {
            return delegate.getPort();
        }

        @Override
        public int getLocalPort() {
            return delegate.getLocalPort();
        }

        @Override
        public InputStream getInputStream() {
            return delegate.getInputStream();
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public void setSoTimeout(int timeout) throws IOException {
            delegate.setSoTimeout(timeout);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    private static final class NoDelayServerConnection implements ServerConnection {

        private final ServerSocket serverSocket;

        NoDelayServerConnection(ServerSocket serverSocket) {
            this.serverSocket = serverSocket;
        }

        @Override
        public Connection accept() throws IOException {
            Socket socket = serverSocket.accept();
            socket.setTcpNoDelay(true);
            return new SignallingConnection(new SocketConnection(socket));
        }

        @Override
        public void setSoTimeout(int timeout) throws IOException {
            serverSocket.setSoTimeout(timeout);
        }

        @Override
        public int getSoTimeout() throws IOException {
            return serverSocket.getSoTimeout();
        }

        @Override
        public void close() throws IOException {
            serverSocket.close();
        }
    }
}
