package dev.colo.transport.internal.mina;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.ColoException;
import dev.colo.api.NodeId;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.transport.LinkChannel;
import dev.colo.transport.internal.Backoff;
import dev.colo.transport.internal.Direction;
import dev.colo.transport.internal.LinkContext;
import dev.colo.transport.internal.frame.Frame;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns our outbound connection of one channel: dials the peer, redials with backoff whenever the
 * connection fails or drops, and sends our messages on it once the peer welcomed it.
 */
final class PeerDialer {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDialer.class);

    private final LinkChannel channel;
    private final LinkContext link;
    private final IoThreads threads;
    private final NioSocketConnector connector;
    private final Backoff backoff;
    private volatile OutboundQueue established;
    private volatile boolean closed;
    /** Failures since the last success: only the first of a streak is a warning. */
    private volatile int failureStreak;

    PeerDialer(LinkChannel channel, LinkContext link, IoThreads threads, SSLContext tls) {
        PairSettings settings = link.settings();
        this.channel = channel;
        this.link = link;
        this.threads = threads;
        this.backoff = new Backoff(settings.reconnectMinMs(), settings.reconnectMaxMs(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.connector = new NioSocketConnector(threads.ioExecutor(), threads.processors());
        connector.setConnectTimeoutMillis(link.greetingTimeoutMs());
        connector.getSessionConfig().setTcpNoDelay(true);
        PeerFilterChain.configure(connector.getFilterChain(), tls, false, settings.maxFrameBytes());
        connector.setHandler(new OutboundHandler(link, threads.timer(), channel, this));
    }

    /** Dials at once, on the timer thread (name resolution may block). */
    void start() {
        schedule(0);
    }

    CompletableFuture<Void> send(Frame frame) {
        OutboundQueue queue = established;
        if (queue == null) {
            return CompletableFuture.failedFuture(new ColoException(ColoErrorCode.LINK_DOWN, channel, frame.type()));
        }
        return queue.send(frame);
    }

    /** Stops redialing and tells the peer we leave on purpose; returns the GOODBYE's write, or null. */
    WriteFuture stop() {
        closed = true;
        OutboundQueue queue = established;
        if (queue == null) {
            return null;
        }
        queue.close();
        return queue.session().write(Frame.goodbye());
    }

    /** After {@link #stop()}: closes the connection and releases the connector. */
    void dispose() {
        connector.dispose(true);
    }

    private void dial() {
        if (closed) {
            return;
        }
        link.counters().connectAttempt();
        PairSettings settings = link.settings();
        try {
            ConnectFuture connecting = connector.connect(new InetSocketAddress(settings.peerHost(), settings.peerPort()));
            connecting.addListener(future -> {
                ConnectFuture done = (ConnectFuture) future;
                if (!done.isConnected()) {
                    if (isRefusal(done.getException())) {
                        link.counters().dialRefused(); // the host is up, but nothing listens: our peer's process is gone
                    }
                    dialFailed(String.valueOf(done.getException()));
                }
            });
        } catch (RuntimeException e) {
            dialFailed(e.toString());
        }
    }

    /** A reset answering our SYN; not a timeout (MINA reports those as ConnectException too), not a route error. */
    static boolean isRefusal(Throwable failure) {
        return failure instanceof ConnectException && String.valueOf(failure.getMessage()).contains("refused");
    }

    private void dialFailed(String reason) {
        link.counters().connectFailure();
        report("cannot connect: " + reason);
        schedule(backoff.nextDelayMs());
    }

    /** The peer welcomed our connection: it carries our messages from now on. */
    void established(IoSession session, NodeId peer) {
        backoff.reset();
        failureStreak = 0;
        established = new OutboundQueue(session, channel);
        Object replaced = link.status().connectionUp(Direction.OUTBOUND, channel, session, peer,
                "outbound " + channel + " to " + peer + " established");
        if (replaced != null) {
            ((IoSession) replaced).closeNow();
        }
    }

    /** A session of ours failed (TLS, protocol, I/O); {@link #closed(IoSession)} follows. */
    void failed(IoSession session, SessionFailure failure) {
        report(Sessions.describe(session) + " failed: " + failure.description());
    }

    /** A session of ours closed, welcomed or not: redial after the backoff. */
    void closed(IoSession session) {
        OutboundQueue queue = established;
        if (queue != null && queue.session() == session) {
            established = null;
            queue.close();
            link.status().connectionDown(Direction.OUTBOUND, channel, session,
                    "outbound " + channel + " to " + Sessions.remote(session) + " closed");
        } else {
            link.counters().connectFailure(); // closed before the peer welcomed it
        }
        schedule(backoff.nextDelayMs());
    }

    private void report(String problem) {
        if (closed) {
            return;
        }
        if (failureStreak++ == 0) {
            LOG.warn("Outbound {} to {}: {}; redialing with backoff", channel, link.settings().peerAddress(), problem);
        } else {
            LOG.debug("Outbound {} to {}: {}", channel, link.settings().peerAddress(), problem);
        }
    }

    private void schedule(long delayMs) {
        if (closed) {
            return;
        }
        try {
            threads.timer().schedule(this::dial, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Outbound {}: not redialing, the link is closing", channel);
        }
    }
}
