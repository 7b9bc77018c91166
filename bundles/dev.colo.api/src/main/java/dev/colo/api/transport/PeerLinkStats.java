package dev.colo.api.transport;

/**
 * Counters of the peer link; a snapshot.
 *
 * @param state                 current link state
 * @param peerAddress           configured {@code host:port} of the peer
 * @param peerNodeId            node id from the peer's certificate, empty until first authenticated
 * @param framesSent            frames written, all channels
 * @param framesReceived        frames received, all channels
 * @param bytesSent             payload bytes written
 * @param bytesReceived         payload bytes received
 * @param connectAttempts       outgoing connection attempts
 * @param connectFailures       outgoing attempts that failed (refused, TLS failure, timeout)
 * @param peersRefused          incoming connections refused (no or untrusted certificate, plaintext, bad hello)
 * @param protocolErrors        connections closed for framing errors (bad magic, oversize frame)
 */
public record PeerLinkStats(
        LinkState state,
        String peerAddress,
        String peerNodeId,
        long framesSent,
        long framesReceived,
        long bytesSent,
        long bytesReceived,
        long connectAttempts,
        long connectFailures,
        long peersRefused,
        long protocolErrors) {
}
