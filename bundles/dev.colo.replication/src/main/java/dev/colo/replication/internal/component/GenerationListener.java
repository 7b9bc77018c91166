package dev.colo.replication.internal.component;

import dev.colo.api.transport.PeerMessage;
import dev.colo.api.transport.PeerMessageListener;
import dev.colo.replication.internal.generation.GenerationMessage;
import java.util.function.Consumer;
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
public final class GenerationListener implements PeerMessageListener {
    private volatile Consumer<PeerMessage> handler;

    void attach(Consumer<PeerMessage> exchange) {
        handler = exchange;
    }

    void detach(Consumer<PeerMessage> exchange) {
        if (handler == exchange) {
            handler = null;
        }
    }

    @Override
    public void onPeerMessage(PeerMessage message) {
        Consumer<PeerMessage> current = handler;
        if (current != null) {
            current.accept(message);
        }
    }
}
