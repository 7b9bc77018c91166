package dev.colo.api.transport;

import java.util.function.Consumer;

/**
 * A {@link PeerMessageListener} that references nothing and hands what it receives to whoever attached:
 * the way to receive messages in a component that also needs the {@link PeerLink} (to answer), without a
 * service cycle — register a subclass as the listener component, and attach from the component that holds
 * the link. Messages that arrive while nothing is attached are dropped.
 */
public abstract class PeerMessageRelay implements PeerMessageListener {
    private volatile Consumer<PeerMessage> handler;

    /** Hands every message from now on to {@code receiver}. */
    public void attach(Consumer<PeerMessage> receiver) {
        handler = receiver;
    }

    /** Stops handing messages to {@code receiver}, if it is the attached one. */
    public void detach(Consumer<PeerMessage> receiver) {
        if (handler == receiver) {
            handler = null;
        }
    }

    @Override
    public final void onPeerMessage(PeerMessage message) {
        Consumer<PeerMessage> current = handler;
        if (current != null) {
            current.accept(message);
        }
    }
}
