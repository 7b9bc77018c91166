package dev.colo.api.event;

import java.util.Map;
import org.osgi.service.event.Event;

/** A state change of the appliance, as a typed record; posted through EventAdmin with {@link #toEvent()}. */
public sealed interface ColoEvent permits PeerHealthChanged, LinkStateChanged, PeerRefused, ConfigurationRejected,
        ReplicationStageChanged, ReplicationDegraded, ReplicationResync, ProxyMiscompare, ProxyListening,
        CheckpointCompleted, CheckpointFailed, FailoverChanged, SecondaryStale, RoleConflict, NodeHealthChanged,
        GuestMemoryBound, GuestOrderLost {
    /** Who posted it and when. */
    EventSource source();

    /** The EventAdmin topic, one of {@link ColoTopics}. */
    String topic();

    /** All properties, the common ones of {@link EventSource} included. */
    Map<String, Object> properties();

    default Event toEvent() {
        return new Event(topic(), properties());
    }
}
