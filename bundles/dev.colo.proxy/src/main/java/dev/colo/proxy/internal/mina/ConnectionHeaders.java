package dev.colo.proxy.internal.mina;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import org.apache.mina.core.session.IoSession;

/**
 * The addresses a {@link dev.colo.api.guest.ConnectionHeader} carries, the same on both nodes: the client's as the
 * primary's proxy saw it (it travels to the secondary as text in the mirrored open), and the service's listen
 * address. What does not parse or resolve without a name lookup is replaced by the guest session's own address.
 */
final class ConnectionHeaders {
    private ConnectionHeaders() {
    }

    /** {@code client} as {@code String.valueOf(InetSocketAddress)} writes it: {@code [host]/address:port}. */
    static InetSocketAddress address(String client, IoSession guest) {
        int slash = client.indexOf('/');
        int colon = client.lastIndexOf(':');
        if (colon > slash) {
            try {
                String literal = client.substring(slash + 1, colon);
                if (literal.startsWith("[") && literal.endsWith("]")) {
                    literal = literal.substring(1, literal.length() - 1);
                }
                if (literal.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) { // a literal: no name lookup
                    return new InetSocketAddress(InetAddress.getByName(literal),
                            Integer.parseInt(client.substring(colon + 1)));
                }
            } catch (UnknownHostException | IllegalArgumentException e) {
                // falls back below
            }
        }
        return own(guest.getLocalAddress());
    }

    /** {@code server} when it is an address already, else the guest session's. */
    static InetSocketAddress resolved(InetSocketAddress server, IoSession guest) {
        return server.isUnresolved() ? own(guest.getRemoteAddress()) : server;
    }

    private static InetSocketAddress own(SocketAddress address) {
        return address instanceof InetSocketAddress inet && !inet.isUnresolved() ? inet
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
