package dev.colo.api.heartbeat;

import org.osgi.annotation.versioning.ProviderType;

/** The failure detector of this node: the current health of the peer and its counters. */
@ProviderType
public interface HeartbeatMonitor {
    /** Peer-link message type of a heartbeat (sent on the CONTROL channel). */
    String HEARTBEAT_MESSAGE_TYPE = "heartbeat";

    PeerHealth health();

    HeartbeatStats stats();
}
