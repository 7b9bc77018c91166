package dev.colo.heartbeat.internal;

import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.transport.PeerMessage;
import dev.colo.api.transport.PeerMessageListener;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the peer's heartbeats. A component of its own, with no references, because a message listener
 * that required the {@link dev.colo.api.transport.PeerLink} would form a service cycle with the link,
 * which binds its listeners while it activates.
 */
@Component(service = {HeartbeatReceiver.class, PeerMessageListener.class},
        property = PeerMessageListener.TYPE_PROPERTY + "=" + HeartbeatMonitor.HEARTBEAT_MESSAGE_TYPE)
public final class HeartbeatReceiver implements PeerMessageListener {
    private static final Logger logger = LoggerFactory.getLogger(HeartbeatReceiver.class);

    private final LongAdder received = new LongAdder();

    @Override
    public void onPeerMessage(PeerMessage message) {
        try {
            HeartbeatPayload.decode(message.payload());
            received.increment();
        } catch (IllegalArgumentException e) {
            logger.warn("Ignoring malformed heartbeat from {}: {}", message.from(), e.getMessage());
        }
    }

    /** Heartbeats received since this component started. */
    long received() {
        return received.sum();
    }
}
