package dev.colo.transport.internal;

import dev.colo.api.transport.PeerMessage;
import dev.colo.api.transport.PeerMessageListener;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whiteboard of {@link PeerMessageListener} services, each with the message types it asked for in
 * {@value PeerMessageListener#TYPE_PROPERTY} (none: all types). A failing listener is logged and skipped;
 * it never breaks the connection or the other listeners.
 */
public final class MessageDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MessageDispatcher.class);

    private record Subscription(PeerMessageListener listener, Set<String> types) {
        boolean wants(String type) {
            return types.isEmpty() || types.contains(type);
        }
    }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    public void add(PeerMessageListener listener, Map<String, ?> properties) {
        subscriptions.add(new Subscription(listener, typesOf(properties.get(PeerMessageListener.TYPE_PROPERTY))));
    }

    public void update(PeerMessageListener listener, Map<String, ?> properties) {
        remove(listener);
        add(listener, properties);
    }

    public void remove(PeerMessageListener listener) {
        subscriptions.removeIf(subscription -> subscription.listener() == listener);
    }

    /** Calls every listener that wants the message's type, on the calling thread; returns how many. */
    public int dispatch(PeerMessage message) {
        int delivered = 0;
        for (Subscription subscription : subscriptions) {
            if (subscription.wants(message.type())) {
                delivered++;
                try {
                    subscription.listener().onPeerMessage(message);
                } catch (RuntimeException e) {
                    LOG.warn("Listener {} failed on {} message '{}'", subscription.listener().getClass().getName(),
                            message.channel(), message.type(), e);
                }
            }
        }
        if (delivered == 0) {
            LOG.debug("No listener for {} message '{}'", message.channel(), message.type());
        }
        return delivered;
    }

    /** The service property as a set: absent → all types; a String, String[] or collection of strings. */
    static Set<String> typesOf(Object property) {
        if (property == null) {
            return Set.of();
        }
        if (property instanceof String type) {
            return Set.of(type);
        }
        if (property instanceof String[] types) {
            return Set.copyOf(List.of(types));
        }
        if (property instanceof Collection<?> types) {
            return types.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
        }
        throw new IllegalArgumentException(PeerMessageListener.TYPE_PROPERTY + " must be a String or String[], not "
                + property.getClass().getName());
    }
}
