package dev.colo.transport.internal.mina;

import dev.colo.api.transport.LinkChannel;
import dev.colo.transport.internal.LinkContext;
import dev.colo.transport.internal.frame.Frame;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.future.WriteFuture;

/**
 * The peer link over MINA: one acceptor for the peer's connections and one dialer per channel for ours,
 * sharing one set of threads. The only class the component talks to.
 */
public final class MinaTransport implements AutoCloseable {
    /** How long closing waits for GOODBYE frames to leave, in milliseconds. */
    private static final long GOODBYE_FLUSH_MS = 500;

    private final IoThreads threads;
    private final PeerAcceptor acceptor;
    private final Map<LinkChannel, PeerDialer> dialers = new EnumMap<>(LinkChannel.class);

    private MinaTransport(LinkContext link, SSLContext tls) {
        threads = new IoThreads();
        acceptor = new PeerAcceptor(link, threads, tls);
        for (LinkChannel channel : LinkChannel.values()) {
            dialers.put(channel, new PeerDialer(channel, link, threads, tls));
        }
    }

    /**
     * Binds the listening socket (quick, on the calling thread) and starts dialing the peer on the timer.
     *
     * @throws IOException when the listen address cannot be bound; nothing is left running then
     */
    public static MinaTransport start(LinkContext link, SSLContext tls) throws IOException {
        MinaTransport transport = new MinaTransport(link, tls);
        try {
            transport.acceptor.bind();
        } catch (IOException | RuntimeException e) {
            transport.close();
            throw new IOException("cannot listen on " + transport.acceptor.address() + ": " + e.getMessage(), e);
        }
        transport.dialers.values().forEach(PeerDialer::start);
        return transport;
    }

    /** Queues a frame on our outbound connection of the channel; fails with LINK_DOWN when it is not up. */
    public CompletableFuture<Void> send(LinkChannel channel, Frame frame) {
        return dialers.get(channel).send(frame);
    }

    /** Says GOODBYE where connected, then closes every connection and stops every thread. */
    @Override
    public void close() {
        List<WriteFuture> goodbyes = new ArrayList<>(acceptor.sayGoodbye());
        dialers.values().stream().map(PeerDialer::stop).filter(Objects::nonNull).forEach(goodbyes::add);
        long deadline = System.nanoTime() + GOODBYE_FLUSH_MS * 1_000_000;
        for (WriteFuture goodbye : goodbyes) {
            goodbye.awaitUninterruptibly(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
        }
        acceptor.dispose();
        dialers.values().forEach(PeerDialer::dispose);
        threads.close();
    }
}
