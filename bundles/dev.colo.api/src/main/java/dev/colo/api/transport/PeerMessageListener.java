package dev.colo.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service receiving messages from the peer. Register it with the service property
 * {@value #TYPE_PROPERTY} (a message type, or several) to receive only those types; without it, every
 * message is delivered. Called on the link's I/O thread of the channel, in arrival order: do not block.
 * A listener must not itself require the {@link PeerLink} service: the link binds its listeners while it
 * activates, so that would be a service cycle. Keep the listener a component of its own and let the
 * component that sends reference it.
 */
@ConsumerType
public interface PeerMessageListener {
    /** Service property: message type(s) the listener wants. */
    String TYPE_PROPERTY = "colo.peer.message.type";

    void onPeerMessage(PeerMessage message);
}
