package dev.colo.api.pair;

import dev.colo.api.NodeId;
import dev.colo.api.Role;
import java.util.Objects;

/**
 * The validated pair configuration of one node.
 *
 * @param nodeId               this node's identity (key {@code node.id})
 * @param role                 this node's role (key {@code role})
 * @param listenAddress        address the peer link listens on (key {@code listen.address})
 * @param listenPort           TCP port the peer link listens on (key {@code listen.port})
 * @param peerHost             host name or address of the peer (key {@code peer.host})
 * @param peerPort             peer-link port of the peer (key {@code peer.port})
 * @param tls                  key and trust material for the peer link
 * @param heartbeatIntervalMs  milliseconds between heartbeats (key {@code heartbeat.interval.ms})
 * @param heartbeatTimeoutMs   milliseconds of silence after which the peer is DEAD (key {@code heartbeat.timeout.ms})
 * @param maxFrameBytes        largest peer-link frame accepted, in bytes (key {@code link.max.frame.bytes})
 * @param reconnectMinMs       first reconnect delay, in milliseconds (key {@code link.reconnect.min.ms})
 * @param reconnectMaxMs       reconnect delay cap, in milliseconds (key {@code link.reconnect.max.ms})
 */
public record PairSettings(
        NodeId nodeId,
        Role role,
        String listenAddress,
        int listenPort,
        String peerHost,
        int peerPort,
        TlsSettings tls,
        long heartbeatIntervalMs,
        long heartbeatTimeoutMs,
        int maxFrameBytes,
        long reconnectMinMs,
        long reconnectMaxMs) {

    public PairSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(peerHost, "peerHost");
        Objects.requireNonNull(tls, "tls");
    }

    /** {@code host:port} of the peer, for logs and status. */
    public String peerAddress() {
        return peerHost + ":" + peerPort;
    }
}
