package dev.colo.proxy.internal.component;

import dev.colo.api.transport.PeerMessageListener;
import dev.colo.api.transport.PeerMessageRelay;
import dev.colo.proxy.internal.wire.ProxyMessage;
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
            PeerMessageListener.TYPE_PROPERTY + "=" + ProxyMessage.InputEnd.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + ProxyMessage.Pause.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + ProxyMessage.Resume.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + ProxyMessage.Output.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + ProxyMessage.End.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + ProxyMessage.Order.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + ProxyMessage.OrderLost.TYPE})
public final class ProxyMessageReceiver extends PeerMessageRelay {
}
