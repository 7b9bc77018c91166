package dev.colo.api.transport;

import dev.colo.api.NodeId;

/**
 * A message received from the peer.
 *
 * @param from    the peer's node id, as proven by its certificate
 * @param channel the channel it arrived on
 * @param type    its type
 * @param payload its body (owned by the receiver)
 */
public record PeerMessage(NodeId from, LinkChannel channel, String type, byte[] payload) {
}
