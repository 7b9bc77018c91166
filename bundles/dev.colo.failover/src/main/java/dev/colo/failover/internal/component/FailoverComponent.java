package dev.colo.failover.internal.component;

import dev.colo.api.Role;
import dev.colo.api.config.InvalidConfigurationException;
import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.ColoTopics;
import dev.colo.api.event.EventProperties;
import dev.colo.api.event.EventSource;
import dev.colo.api.event.FailoverChanged;
import dev.colo.api.failover.FailoverState;
import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairKeys;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.failover.internal.config.FailoverConfig;
import dev.colo.failover.internal.config.FailoverSettings;
import dev.colo.failover.internal.controller.FailoverController;
import dev.colo.failover.internal.controller.ShellCommand;
import dev.colo.failover.internal.jmx.FailoverMBean;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.DynamicMBean;
import javax.management.NotCompliantMBeanException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover controller of this node (configuration {@value FailoverSettings#PID}, optional). A secondary
 * fails over by itself when the failure detector declares the primary DEAD (with {@code automatic}), or when an
 * operator asks (MXBean {@value FailoverMXBean#OBJECT_NAME}); a primary whose secondary is DEAD goes on
 * degraded, which the other bundles do by themselves. It follows the pair configuration without restarting
 * (it is what changes the role), so that its state survives the switch.
 */
@Component(configurationPid = FailoverSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = EventHandler.class, property = EventConstants.EVENT_TOPIC + "=" + ColoTopics.PEER_HEALTH_CHANGED,
        immediate = true)
@Designate(ocd = FailoverConfig.class)
public final class FailoverComponent implements EventHandler, FailoverController.Node {
    private static final Logger logger = LoggerFactory.getLogger(FailoverComponent.class);

    private final ConfigurationAdmin configurationAdmin;
    private final List<ProtectedDisk> disks = new CopyOnWriteArrayList<>();

    /** Optional: while the pair configuration is replaced (the role changes) this component must live on. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PairConfiguration pair;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private FailoverController controller;
    /** Whether the peer was ALIVE since this node started: only a primary we knew can have died. */
    private volatile boolean peerSeenAlive;
    private ServiceRegistration<DynamicMBean> mbean;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HeartbeatMonitor heartbeat;

    @Activate
    public FailoverComponent(@Reference ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        FailoverSettings settings;
        try {
            settings = FailoverSettings.parse(properties);
        } catch (InvalidConfigurationException e) {
            logger.error("{} — the failover controller stays inactive until this is corrected", e.getMessage());
            throw e;
        }
        List<String> unknown = FailoverSettings.unknownKeys(properties);
        if (!unknown.isEmpty()) {
            logger.warn("Configuration {}: ignoring unknown keys {} (misspelt?)", FailoverSettings.PID, unknown);
        }
        HeartbeatMonitor monitor = heartbeat;
        peerSeenAlive = monitor != null && monitor.health() == PeerHealth.ALIVE; // reconfigured while paired
        controller = new FailoverController(settings, this, new ShellCommand(), this::changed);
        try {
            mbean = context.registerService(DynamicMBean.class, new FailoverMBean(controller),
                    FrameworkUtil.asDictionary(Map.of("jmx.objectname", FailoverMXBean.OBJECT_NAME)));
        } catch (NotCompliantMBeanException e) {
            throw new IllegalStateException("FailoverMXBean is not a compliant MXBean", e);
        }
        if (settings.fencing() == FailoverSettings.Fencing.NONE) {
            logger.warn("Failover: fencing = none — if the primary is alive but unreachable, a failover makes two "
                    + "primaries. Configure fencing = command (see {}.cfg) for a real deployment", FailoverSettings.PID);
        }
        logger.info("Failover controller: {} failover, fencing {}", settings.automatic() ? "automatic" : "manual",
                settings.fencing().name().toLowerCase(java.util.Locale.ROOT));
    }

    @Deactivate
    void deactivate() {
        if (mbean != null) {
            try {
                mbean.unregister();
            } catch (IllegalStateException e) {
                // the framework unregistered it already (bundle stopping)
            }
        }
        controller.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDisk(ProtectedDisk disk) {
        disks.add(disk);
    }

    void unbindDisk(ProtectedDisk disk) {
        disks.remove(disk);
    }

    @Override
    public void handleEvent(Event event) {
        Object current = event.getProperty(EventProperties.CURRENT);
        if (current == null || controller == null) {
            return;
        }
        PeerHealth health = PeerHealth.valueOf(current.toString());
        if (health == PeerHealth.ALIVE) {
            peerSeenAlive = true;
        }
        if (health != PeerHealth.DEAD) {
            return;
        }
        if (role() == Role.PRIMARY) {
            logger.warn("Failover: the secondary is DEAD; this primary goes on unprotected (degraded)");
        } else if (!peerSeenAlive) {
            // a node that (re)starts hears nothing for a while: that is no primary dying, and this node has
            // none of its state; taking over now would make a second primary with old data
            logger.warn("Failover: the peer is DEAD but was never ALIVE since this node started: no failover");
        } else if (controller.settings().automatic()) {
            String outcome = controller.request("the primary is DEAD");
            logger.info("Failover: the primary is DEAD: {}", outcome);
        } else {
            logger.error("Failover: the primary is DEAD and automatic failover is off: invoke failover on {}",
                    FailoverMXBean.OBJECT_NAME);
        }
    }

    /** This node's role; {@code null} while there is no valid pair configuration. */
    @Override
    public Role role() {
        PairConfiguration current = pair;
        return current == null ? null : current.settings().role();
    }

    @Override
    public List<ProtectedDisk> disks() {
        return List.copyOf(disks);
    }

    /** role = primary in the pair configuration (Karaf writes it back to etc/dev.colo.pair.cfg). */
    @Override
    public void becomePrimary() throws Exception {
        Configuration configuration = configurationAdmin.getConfiguration(PairConfiguration.PID, "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        properties.put(PairKeys.ROLE, Role.PRIMARY.configValue());
        configuration.update(properties);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (role() != Role.PRIMARY && System.nanoTime() < deadline) {
            Thread.sleep(10); // the pair configuration is validated and registered again
        }
        if (role() != Role.PRIMARY) {
            throw new IllegalStateException("the pair configuration did not become primary within 30 s");
        }
    }

    private void changed(FailoverState previous, FailoverState current, long elapsedMillis, String reason) {
        PairConfiguration now = pair;
        EventSource source = now == null ? EventSource.now(EventSource.UNKNOWN_NODE, null)
                : EventSource.now(now.settings().nodeId().value(), now.settings().role());
        ColoEvents.post(eventAdmin, new FailoverChanged(source, previous, current, elapsedMillis, reason));
    }
}
