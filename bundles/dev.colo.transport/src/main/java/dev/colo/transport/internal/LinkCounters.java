package dev.colo.transport.internal;

import dev.colo.api.transport.LinkState;
import dev.colo.api.transport.PeerLinkStats;
import java.util.concurrent.atomic.LongAdder;

/** The counters of {@link PeerLinkStats}, updated from I/O threads without locks. */
public final class LinkCounters {
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder framesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder connectAttempts = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder peersRefused = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();
    private volatile long lastHeardNanos = Long.MIN_VALUE;
    private volatile long lastDialRefusedNanos = Long.MIN_VALUE;

    public void frameSent(int payloadBytes) {
        framesSent.increment();
        bytesSent.add(payloadBytes);
    }

    /** Also marks the peer as heard now. */
    public void frameReceived(int payloadBytes) {
        lastHeardNanos = System.nanoTime();
        framesReceived.increment();
        bytesReceived.add(payloadBytes);
    }

    public void connectAttempt() {
        connectAttempts.increment();
    }

    public void connectFailure() {
        connectFailures.increment();
    }

    /** The peer's host answered our dial with a reset: nothing listens on its peer-link port. */
    public void dialRefused() {
        lastDialRefusedNanos = System.nanoTime();
    }

    /** {@link System#nanoTime()} of the last dial the peer's host refused, {@link Long#MIN_VALUE} if none. */
    public long lastDialRefusedNanos() {
        return lastDialRefusedNanos;
    }

    public void peerRefused() {
        peersRefused.increment();
    }

    public void protocolError() {
        protocolErrors.increment();
    }

    /** {@link System#nanoTime()} of the last frame received, {@link Long#MIN_VALUE} if none yet. */
    public long lastHeardNanos() {
        return lastHeardNanos;
    }

    public PeerLinkStats snapshot(LinkState state, String peerAddress, String peerNodeId) {
        return new PeerLinkStats(state, peerAddress, peerNodeId, framesSent.sum(), framesReceived.sum(),
                bytesSent.sum(), bytesReceived.sum(), connectAttempts.sum(), connectFailures.sum(),
                peersRefused.sum(), protocolErrors.sum());
    }
}
