package dev.colo.proxy.internal.component;

import dev.colo.api.transport.PeerMessage;
import dev.colo.api.transport.PeerMessageListener;
import dev.colo.proxy.internal.wire.ProxyMessage;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Component;

/**
 * Receives the proxy's messages from the peer link and hands them to {@link ProxyServices}. It references
 * nothing: the link binds its listeners while it activates, so a listener that needed the link (as the
 * proxy does, to send) would be a service cycle. Messages that arrive while no proxy is attached are dropped
 * (the connections they belong to are gone with it).
 */
@Component(service = {ProxyMessageReceiver.class, PeerMessageListener.class},
        property = {PeerMessageListener.TYPE_PROPERTY + "=" + ProxyMessage.Open.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + ProxyMessage.Input.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + ProxyMessage.Close.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + ProxyMessage.Output.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + ProxyMessage.End.TYPE})
public final class ProxyMessageReceiver implements PeerMessageListener {
    private volatile Consumer<PeerMessage> handler;

    void attach(Consumer<PeerMessage> proxies) {
        handler = proxies;
    }

    void detach(Consumer<PeerMessage> proxies) {
        if (handler == proxies) {
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
