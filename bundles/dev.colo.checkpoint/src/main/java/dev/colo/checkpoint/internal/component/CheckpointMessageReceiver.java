package dev.colo.checkpoint.internal.component;

import dev.colo.api.transport.PeerMessageListener;
import dev.colo.api.transport.PeerMessageRelay;
import dev.colo.checkpoint.internal.protocol.CheckpointMessage;
import org.osgi.service.component.annotations.Component;

/**
 * Receives the checkpoint messages from the peer link and hands them to the coordinator. It references
 * nothing: a listener that needed the link (as the coordinator does, to send) would be a service cycle.
 */
@Component(service = {CheckpointMessageReceiver.class, PeerMessageListener.class},
        property = {PeerMessageListener.TYPE_PROPERTY + "=" + CheckpointMessage.Begin.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + CheckpointMessage.Ready.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + CheckpointMessage.State.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + CheckpointMessage.Received.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + CheckpointMessage.Loaded.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + CheckpointMessage.Failed.TYPE})
public final class CheckpointMessageReceiver extends PeerMessageRelay {
}
