package dev.colo.api.heartbeat;

import org.osgi.annotation.versioning.ProviderType;

/** The failure detector of this node: the current health of the peer and its counters. */
@ProviderType
public interface HeartbeatMonitor {
    /** Peer-link message type of a heartbeat (sent on the CONTROL channel). */
    String HEARTBEAT_MESSAGE_TYPE = "heartbeat";

    PeerHealth health();

    HeartbeatStats stats();

    /** {@link System#nanoTime()} when this monitor started judging the peer (its component activated). */
    long startedNanos();

    /**
     * {@link System#nanoTime()} at the end of the last stall of this node that the monitor saw (no health check ran
     * for longer than the suspicion time: a GC pause, SIGSTOP, a suspended VM), {@link Long#MIN_VALUE} if none.
     */
    long lastStallEndedNanos();
}
