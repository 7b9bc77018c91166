package dev.colo.replication.internal.component;

import dev.colo.api.transport.PeerMessageListener;
import dev.colo.api.transport.PeerMessageRelay;
import dev.colo.replication.internal.generation.GenerationMessage;
import org.osgi.service.component.annotations.Component;

/**
 * Receives the generation exchange's messages from the peer link and hands them to the
 * {@link GenerationExchange}. It references nothing: the link binds its listeners while it activates, so a
 * listener that needed the link (as the exchange does, to answer) would be a service cycle. Messages that
 * arrive while no exchange is attached are dropped; the asking side retries.
 */
@Component(service = {GenerationListener.class, PeerMessageListener.class},
        property = {PeerMessageListener.TYPE_PROPERTY + "=" + GenerationMessage.QUERY,
            PeerMessageListener.TYPE_PROPERTY + "=" + GenerationMessage.ADOPT,
            PeerMessageListener.TYPE_PROPERTY + "=" + GenerationMessage.REPLY})
public final class GenerationListener extends PeerMessageRelay {
}
