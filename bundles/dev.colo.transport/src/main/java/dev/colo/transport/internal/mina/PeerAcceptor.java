package dev.colo.transport.internal.mina;

import dev.colo.api.pair.PairSettings;
import dev.colo.transport.internal.LinkContext;
import dev.colo.transport.internal.frame.Frame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;

/** Listens for the peer's connections, which carry the peer's messages to us. */
final class PeerAcceptor {
    private final NioSocketAcceptor acceptor;
    private final InetSocketAddress address;

    PeerAcceptor(LinkContext link, IoThreads threads, SSLContext tls) {
        PairSettings settings = link.settings();
        this.address = new InetSocketAddress(settings.listenAddress(), settings.listenPort());
        this.acceptor = new NioSocketAcceptor(threads.ioExecutor(), threads.processors());
        acceptor.setReuseAddress(true);
        acceptor.setCloseOnDeactivation(true);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        PeerFilterChain.configure(acceptor.getFilterChain(), tls, true, settings.maxFrameBytes());
        acceptor.setHandler(new InboundHandler(link, threads.timer()));
    }

    void bind() throws IOException {
        acceptor.bind(address);
    }

    InetSocketAddress address() {
        return address;
    }

    /** Tells the peer on every welcomed connection that we leave on purpose. */
    List<WriteFuture> sayGoodbye() {
        return acceptor.getManagedSessions().values().stream()
                .filter(session -> Sessions.greeting(session) != null)
                .map(session -> session.write(Frame.goodbye()))
                .toList();
    }

    /** Stops listening, closes every accepted connection and releases the acceptor. */
    void dispose() {
        acceptor.unbind();
        acceptor.dispose(true);
    }
}
