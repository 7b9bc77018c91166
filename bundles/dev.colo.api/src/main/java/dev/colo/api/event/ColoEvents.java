package dev.colo.api.event;

import java.util.Optional;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Conversions between OSGi events and {@link ColoEvent} records, and a null-safe post. */
public final class ColoEvents {
    private ColoEvents() {
    }

    /**
     * The typed record of an OSGi event, or empty for a topic that is not a COLO event.
     *
     * @throws IllegalArgumentException naming the property when a COLO event lacks one or has the wrong type
     */
    public static Optional<ColoEvent> from(Event event) {
        PropertyReader in = new PropertyReader(event);
        return Optional.ofNullable(switch (event.getTopic()) {
            case ColoTopics.PEER_HEALTH_CHANGED -> PeerHealthChanged.read(in);
            case ColoTopics.LINK_STATE_CHANGED -> LinkStateChanged.read(in);
            case ColoTopics.PEER_REFUSED -> PeerRefused.read(in);
            case ColoTopics.CONFIGURATION_REJECTED -> ConfigurationRejected.read(in);
            case ColoTopics.REPLICATION_STAGE_CHANGED -> ReplicationStageChanged.read(in);
            case ColoTopics.REPLICATION_DEGRADED -> ReplicationDegraded.read(in);
            case ColoTopics.REPLICATION_RESYNC -> ReplicationResync.read(in);
            case ColoTopics.PROXY_MISCOMPARE -> ProxyMiscompare.read(in);
            case ColoTopics.PROXY_LISTENING -> ProxyListening.read(in);
            case ColoTopics.CHECKPOINT_COMPLETED -> CheckpointCompleted.read(in);
            case ColoTopics.CHECKPOINT_FAILED -> CheckpointFailed.read(in);
            case ColoTopics.FAILOVER_CHANGED -> FailoverChanged.read(in);
            case ColoTopics.SECONDARY_STALE -> SecondaryStale.read(in);
            case ColoTopics.ROLE_CONFLICT -> RoleConflict.read(in);
            case ColoTopics.NODE_HEALTH_CHANGED -> NodeHealthChanged.read(in);
            case ColoTopics.GUEST_MEMORY_BOUND -> GuestMemoryBound.read(in);
            case ColoTopics.GUEST_ORDER_LOST -> GuestOrderLost.read(in);
            default -> null;
        });
    }

    /** Posts asynchronously; does nothing when no EventAdmin is bound (events are a view, never a dependency). */
    public static void post(EventAdmin eventAdmin, ColoEvent event) {
        if (eventAdmin != null) {
            eventAdmin.postEvent(event.toEvent());
        }
    }
}
