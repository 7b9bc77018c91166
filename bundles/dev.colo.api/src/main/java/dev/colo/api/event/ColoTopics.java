package dev.colo.api.event;

/** Every EventAdmin topic the appliance posts on. */
public final class ColoTopics {
    /** Prefix of every topic. */
    public static final String PREFIX = "dev/colo/";
    /** Subscription to every COLO event. */
    public static final String ALL = "dev/colo/*";

    /** {@link PeerHealthChanged}: the failure detector changed its view of the peer. */
    public static final String PEER_HEALTH_CHANGED = PREFIX + "heartbeat/health-changed";
    /** {@link LinkStateChanged}: the peer link went up or down. */
    public static final String LINK_STATE_CHANGED = PREFIX + "link/state-changed";
    /** {@link PeerRefused}: a connection to the peer port was refused (untrusted, plaintext, protocol). */
    public static final String PEER_REFUSED = PREFIX + "link/peer-refused";
    /** {@link ConfigurationRejected}: a configuration was refused; the component it configures is inactive. */
    public static final String CONFIGURATION_REJECTED = PREFIX + "config/rejected";

    /** {@link NodeHealthChanged}: a component of this node failed or recovered. */
    public static final String NODE_HEALTH_CHANGED = PREFIX + "node/health-changed";
    /** {@link GuestMemoryBound}: a guest began or stopped refusing writes at its memory bound. */
    public static final String GUEST_MEMORY_BOUND = PREFIX + "guest/memory-bound";
    /** {@link GuestOrderLost}: the secondary's guest stopped following the primary's execution order. */
    public static final String GUEST_ORDER_LOST = PREFIX + "guest/order-lost";

    /** {@link ReplicationStageChanged}: a protected disk moved to another stage. */
    public static final String REPLICATION_STAGE_CHANGED = PREFIX + "replication/stage-changed";
    /** {@link ReplicationDegraded}: the primary lost or regained the secondary of a disk. */
    public static final String REPLICATION_DEGRADED = PREFIX + "replication/degraded";

    /** {@link ReplicationResync}: progress of a resynchronisation. */
    public static final String REPLICATION_RESYNC = PREFIX + "replication/resync";

    /** {@link ProxyMiscompare}: the guests' outputs differed on a connection. */
    public static final String PROXY_MISCOMPARE = PREFIX + "proxy/miscompare";
    /** {@link ProxyListening}: a service's proxy started or stopped listening for clients, or could not (it retries). */
    public static final String PROXY_LISTENING = PREFIX + "proxy/listening";

    /** {@link CheckpointCompleted}: a checkpoint ran to the end on both nodes. */
    public static final String CHECKPOINT_COMPLETED = PREFIX + "checkpoint/completed";
    /** {@link CheckpointFailed}: a checkpoint failed at a step; the pair is not protected until the next one. */
    public static final String CHECKPOINT_FAILED = PREFIX + "checkpoint/failed";

    /** {@link SecondaryStale}: a secondary stopped, or started again, holding the primary's state. */
    public static final String SECONDARY_STALE = PREFIX + "checkpoint/secondary-stale";
    /** {@link RoleConflict}: both nodes claimed to be primary, and how it was settled. */
    public static final String ROLE_CONFLICT = PREFIX + "failover/role-conflict";

    /** {@link FailoverChanged}: the failover controller changed state (started, fenced, completed, failed). */
    public static final String FAILOVER_CHANGED = PREFIX + "failover/state-changed";

    private ColoTopics() {
    }
}
