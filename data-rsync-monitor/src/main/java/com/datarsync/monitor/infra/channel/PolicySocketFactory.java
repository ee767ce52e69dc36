package com.datarsync.monitor.infra.channel;

import com.datarsync.common.net.OutboundAddressPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Plain sockets that connect only to addresses the outbound policy allows, checked on the address
 * the connect is given (the name resolved for this connection), for the e-mail channel's SMTP
 * client (Jakarta Mail creates an unconnected socket from it, connects it, then layers TLS).
 */
final class PolicySocketFactory extends SocketFactory {

    private final OutboundAddressPolicy policy;

    PolicySocketFactory(OutboundAddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                if (!(endpoint instanceof InetSocketAddress inet) || inet.isUnresolved()) {
                    throw new IOException("cannot resolve " + endpoint);
                }
                policy.check(inet.getHostString(), inet.getAddress());
                super.connect(endpoint, timeout);
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port));
    }

    private Socket connected(InetSocketAddress address) throws IOException {
        Socket socket = createSocket();
        try {
            socket.connect(address, 10_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
