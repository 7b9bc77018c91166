package dev.colo.api.management;

import dev.colo.api.transport.PeerLinkStats;

/** The peer link of this node, {@value #OBJECT_NAME}. Every attribute is cheap to read. */
public interface PeerLinkMXBean {
    String OBJECT_NAME = "dev.colo:type=PeerLink";

    /** CONNECTING, CONNECTED, DISCONNECTED or CLOSED. */
    String getState();

    /** Where the peer listens, host:port. */
    String getPeerAddress();

    /** Frames and bytes each way, connect attempts and failures, refused peers, protocol errors. */
    PeerLinkStats getStatistics();

    /** Milliseconds since anything was heard from the peer; -1 if never. */
    long getLastHeardAgoMillis();

    /** Milliseconds since the peer's host last refused a connection (its process gone); -1 if never. */
    long getLastRefusedAgoMillis();
}
