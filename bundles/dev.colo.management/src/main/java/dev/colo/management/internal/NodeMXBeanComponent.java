package dev.colo.management.internal;

import dev.colo.api.event.ColoTopics;
import dev.colo.api.health.NodeHealth;
import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.heartbeat.HeartbeatStats;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.NodeMXBean;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.transport.LinkState;
import dev.colo.api.transport.PeerLink;
import dev.colo.api.transport.PeerLinkStats;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.management.DynamicMBean;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The {@value NodeMXBean#OBJECT_NAME} MXBean, registered through the JMX whiteboard (service property
 * {@code jmx.objectname}), so no domain class touches an MBeanServer. Every dependency is optional and
 * dynamic: the bean is there from the start and reports what is running, also while the pair
 * configuration is invalid.
 */
@Component(service = {DynamicMBean.class, EventHandler.class}, property = {
    "jmx.objectname=" + NodeMXBean.OBJECT_NAME,
    EventConstants.EVENT_TOPIC + "=" + ColoTopics.PEER_HEALTH_CHANGED,
    EventConstants.EVENT_TOPIC + "=" + ColoTopics.LINK_STATE_CHANGED,
    EventConstants.EVENT_TOPIC + "=" + ColoTopics.PEER_REFUSED,
    EventConstants.EVENT_TOPIC + "=" + ColoTopics.CONFIGURATION_REJECTED,
    EventConstants.EVENT_TOPIC + "=" + ColoTopics.NODE_HEALTH_CHANGED})
public final class NodeMXBeanComponent extends NotifyingMXBean implements NodeMXBean {
    private static final String UNKNOWN = "unknown";
    private static final String ROLE = "Role";

    private volatile PairConfiguration pairConfiguration;
    /** The role of the last pair configuration bound; it outlives the configuration's restarts. */
    private final AtomicReference<String> lastRole = new AtomicReference<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PeerLink peerLink;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HeartbeatMonitor heartbeatMonitor;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile NodeHealth nodeHealth;

    /**
     * Registered as a {@link DynamicMBean} built as an MXBean: the whiteboard would otherwise register the
     * plain object, and enums and records would reach remote consoles as our classes instead of open types.
     */
    public NodeMXBeanComponent() {
        super(NodeMXBean.class, new EventNotifications(NodeMXBean.OBJECT_NAME, List.of(ROLE),
                EventNotifications.Topic.changing(ColoTopics.PEER_HEALTH_CHANGED, "PeerHealth"),
                EventNotifications.Topic.changing(ColoTopics.LINK_STATE_CHANGED, "LinkState"),
                EventNotifications.Topic.of(ColoTopics.PEER_REFUSED),
                EventNotifications.Topic.of(ColoTopics.CONFIGURATION_REJECTED),
                EventNotifications.Topic.changing(ColoTopics.NODE_HEALTH_CHANGED, "Health")));
    }

    /**
     * A changed role (a failover, an operator's edit) re-creates the pair configuration: the new one's role, when
     * it differs from the last one's, is the {@code Role} attribute change.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindPairConfiguration(PairConfiguration configuration) {
        pairConfiguration = configuration;
        String role = configuration.settings().role().configValue();
        String previous = lastRole.getAndSet(role);
        if (previous != null && !previous.equals(role)) {
            notifications().attributeChanged(ROLE, previous, role);
        }
    }

    void unbindPairConfiguration(PairConfiguration configuration) {
        if (pairConfiguration == configuration) {
            pairConfiguration = null;
        }
    }

    @Override
    public boolean isConfigured() {
        return pairConfiguration != null;
    }

    @Override
    public String getNodeId() {
        return fromPair(pair -> pair.settings().nodeId().value());
    }

    @Override
    public String getRole() {
        return fromPair(pair -> pair.settings().role().configValue());
    }

    @Override
    public PeerHealth getPeerHealth() {
        HeartbeatMonitor monitor = heartbeatMonitor;
        return monitor == null ? PeerHealth.UNKNOWN : monitor.health();
    }

    @Override
    public LinkState getLinkState() {
        PeerLink link = peerLink;
        return link == null ? LinkState.CLOSED : link.state();
    }

    @Override
    public String getPeerAddress() {
        return fromPair(pair -> pair.settings().peerAddress());
    }

    @Override
    public String getHealth() {
        NodeHealth health = nodeHealth;
        return health == null ? "UNKNOWN" : health.status().name();
    }

    @Override
    public String[] getHealthProblems() {
        NodeHealth health = nodeHealth;
        return health == null ? new String[0] : health.problems().toArray(String[]::new);
    }

    @Override
    public long getUptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    @Override
    public HeartbeatStats getHeartbeat() {
        HeartbeatMonitor monitor = heartbeatMonitor;
        return monitor == null ? null : monitor.stats();
    }

    @Override
    public PeerLinkStats getPeerLink() {
        PeerLink link = peerLink;
        return link == null ? null : link.stats();
    }

    private String fromPair(Function<PairConfiguration, String> attribute) {
        return Optional.ofNullable(pairConfiguration).map(attribute).orElse(UNKNOWN);
    }
}
