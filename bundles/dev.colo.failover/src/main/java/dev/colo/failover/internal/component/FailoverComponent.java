package dev.colo.failover.internal.component;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointRequests;
import dev.colo.api.config.ComponentConfiguration;
import dev.colo.api.config.InvalidConfigurationException;
import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.ColoTopics;
import dev.colo.api.event.EventProperties;
import dev.colo.api.event.EventSource;
import dev.colo.api.event.FailoverChanged;
import dev.colo.api.failover.FailoverState;
import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.management.ManagedBean;
import dev.colo.api.management.ReprotectionProgress;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairKeys;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.LinkState;
import dev.colo.api.transport.PeerLink;
import dev.colo.api.transport.PeerMessage;
import dev.colo.api.util.Threads;
import dev.colo.failover.internal.claim.RoleClaim;
import dev.colo.failover.internal.config.FailoverConfig;
import dev.colo.failover.internal.config.FailoverSettings;
import dev.colo.failover.internal.controller.FailoverController;
import dev.colo.failover.internal.controller.ShellCommand;
import dev.colo.failover.internal.jmx.FailoverMBean;
import dev.colo.failover.internal.reprotect.Reprotection;
import dev.colo.failover.internal.reprotect.ReprotectionControl;
import dev.colo.failover.internal.role.ConfigFileRole;
import java.util.Dictionary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
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
        service = EventHandler.class, property = {EventConstants.EVENT_TOPIC + "=" + ColoTopics.PEER_HEALTH_CHANGED,
            EventConstants.EVENT_TOPIC + "=" + ColoTopics.LINK_STATE_CHANGED,
            EventConstants.EVENT_TOPIC + "=" + ColoTopics.CHECKPOINT_COMPLETED,
            EventConstants.EVENT_TOPIC + "=" + ColoTopics.CHECKPOINT_FAILED}, immediate = true)
@Designate(ocd = FailoverConfig.class)
public final class FailoverComponent implements EventHandler, FailoverController.Node, ReprotectionControl {
    private static final Logger logger = LoggerFactory.getLogger(FailoverComponent.class);

    private static final String PROMOTED_AT_FILE = "promoted-at-ms";

    private final ConfigurationAdmin configurationAdmin;
    private final RoleClaimReceiver claims;
    private final Consumer<PeerMessage> claimHandler = this::onClaim;
    private final ExecutorService roleChanges = Executors.newSingleThreadExecutor(Threads.named("colo-role-claim-"));
    /** When this node last became primary by a failover (persisted in the bundle's data), 0 if never. */
    private volatile long promotedAtMillis;
    private java.io.File promotedAtFile;

    /** Optional and dynamic: it restarts with the role, this component must not. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PeerLink link;
    private final List<ProtectedDisk> disks = new CopyOnWriteArrayList<>();

    /** Optional: while the pair configuration is replaced (the role changes) this component must live on. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PairConfiguration pair;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HeartbeatMonitor heartbeat;

    /** Offered by the checkpoint coordinator only while the pair is protected. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CheckpointRequests protectedPair;

    private FailoverController controller;
    /**
     * Whether this secondary loaded a checkpoint since it (or this component) started: only then does it hold
     * the primary's state, and only then may it take over.
     */
    private volatile boolean holdsPrimaryState;
    private ManagedBean mbean;

    @Activate
    public FailoverComponent(@Reference ConfigurationAdmin configurationAdmin, @Reference RoleClaimReceiver claims) {
        this.configurationAdmin = configurationAdmin;
        this.claims = claims;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        FailoverSettings settings = ComponentConfiguration.parse(logger, properties, FailoverSettings::parse,
                FailoverSettings::unknownKeys, parsed -> FailoverSettings.PID, "the failover controller");
        promotedAtFile = context.getDataFile(PROMOTED_AT_FILE);
        promotedAtMillis = readPromotedAt();
        controller = new FailoverController(settings, this, new ShellCommand(), this::changed);
        claims.attach(claimHandler);
        EventNotifications notifications = FailoverMBean.notifications();
        mbean = ManagedBean.register(context, new FailoverMBean(controller, this,
                () -> role() != Role.SECONDARY || holdsPrimaryState, notifications),
                FailoverMXBean.OBJECT_NAME, notifications, null);
        if (settings.fencing() == FailoverSettings.Fencing.NONE) {
            logger.warn("Failover: fencing = none — if the primary is alive but unreachable, a failover makes two "
                    + "primaries. Configure fencing = command (see {}.cfg) for a real deployment", FailoverSettings.PID);
        }
        logger.info("Failover controller: {}", describe(settings));
    }

    /** A new configuration keeps this component (and what it knows: whether it holds the primary's state). */
    @Modified
    void modified(Map<String, Object> properties) {
        FailoverSettings settings;
        try {
            settings = FailoverSettings.parse(properties);
        } catch (InvalidConfigurationException e) {
            logger.error("{} — the failover controller keeps its previous configuration", e.getMessage());
            return;
        }
        controller.reconfigure(settings);
        logger.info("Failover controller reconfigured: {}", describe(settings));
    }

    private static String describe(FailoverSettings settings) {
        return (settings.automatic() ? "automatic" : "manual") + " failover, fencing "
                + settings.fencing().name().toLowerCase(Locale.ROOT);
    }

    @Deactivate
    void deactivate() {
        claims.detach(claimHandler);
        roleChanges.shutdownNow();
        if (mbean != null) {
            mbean.close();
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
        if (controller == null) {
            return;
        }
        if (ColoTopics.CHECKPOINT_COMPLETED.equals(event.getTopic())) {
            holdsPrimaryState |= role() == Role.SECONDARY;
            return;
        }
        if (ColoTopics.CHECKPOINT_FAILED.equals(event.getTopic())) {
            // a failed checkpoint leaves the primary serving alone: what this node holds is behind it until the next
            holdsPrimaryState &= role() != Role.SECONDARY;
            return;
        }
        Object current = event.getProperty(EventProperties.CURRENT);
        if (current == null) {
            return;
        }
        if (ColoTopics.LINK_STATE_CHANGED.equals(event.getTopic())) {
            if (LinkState.CONNECTED.name().equals(current.toString())) {
                sendClaim();
            }
            return;
        }
        PeerHealth health = PeerHealth.valueOf(current.toString());
        if (health == PeerHealth.ALIVE) {
            sendClaim();
            if (role() == Role.PRIMARY) {
                // a secondary is back: re-protect now rather than at the disks' next reconnect (up to its backoff)
                disks.forEach(ProtectedDisk::reconnectNow);
            }
        }
        if (health != PeerHealth.DEAD) {
            return;
        }
        if (role() == Role.PRIMARY) {
            logger.warn("Failover: the secondary is DEAD; this primary goes on unprotected (degraded)");
        } else if (!holdsPrimaryState) {
            // a node that (re)starts hears little for a while: that is no primary dying, and without a checkpoint
            // this node has none of its state; taking over now would make a second primary with old data
            logger.warn("Failover: the peer is DEAD but this node does not hold the primary's state (no checkpoint "
                    + "loaded since it started, or since the last one failed): no failover");
        } else if (controller.settings().automatic()) {
            String outcome = controller.request("the primary is DEAD");
            logger.info("Failover: the primary is DEAD: {}", outcome);
        } else {
            logger.error("Failover: the primary is DEAD and automatic failover is off: invoke failover on {}",
                    FailoverMXBean.OBJECT_NAME);
        }
    }

    @Override
    public ReprotectionProgress progress() {
        HeartbeatMonitor monitor = heartbeat;
        PairConfiguration current = pair;
        List<Reprotection.Disk> disks = this.disks.stream()
                .map(disk -> new Reprotection.Disk(disk.name(), disk.status().dirtyBytes(), disk.resync())).toList();
        return Reprotection.assess(new Reprotection.Facts(role(), controller.state(),
                monitor == null ? PeerHealth.UNKNOWN : monitor.health(), disks, protectedPair != null,
                current == null ? "" : current.settings().peerAddress()));
    }

    /** Resynchronisation and the full checkpoint follow by themselves; this makes the disks try the peer now. */
    @Override
    public String reprotect() {
        ReprotectionProgress progress = progress();
        switch (progress.phase()) {
            case NOT_PRIMARY, FAILOVER_UNDER_WAY -> {
                return "refused: " + progress.detail();
            }
            case PROTECTED -> {
                return "already protected";
            }
            default -> {
                disks.forEach(ProtectedDisk::reconnectNow);
                logger.info("Re-protection asked by an operator: {} ({})", progress.phase(), progress.detail());
                return "re-protecting: " + progress.detail();
            }
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
        promotedAtMillis = System.currentTimeMillis();
        java.nio.file.Files.writeString(promotedAtFile.toPath(), Long.toString(promotedAtMillis));
        setRole(Role.PRIMARY);
    }

    private void setRole(Role role) throws Exception {
        Configuration configuration = configurationAdmin.getConfiguration(PairConfiguration.PID, "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        properties.put(PairKeys.ROLE, role.configValue());
        // the file first, whole: see ConfigFileRole (Karaf's write-back could otherwise truncate it for good)
        Optional<java.nio.file.Path> file = ConfigFileRole.fileOf(properties.get(ConfigFileRole.FILENAME_PROPERTY));
        if (file.isPresent()) {
            ConfigFileRole.write(file.get(), role.configValue());
        }
        configuration.update(properties);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (role() != role && System.nanoTime() < deadline) {
            Thread.sleep(10); // the pair configuration is validated and registered again
        }
        if (role() != role) {
            throw new IllegalStateException("the pair configuration did not become " + role.configValue()
                    + " within 30 s");
        }
    }

    /** Tells the peer this node's role and when it was promoted (on every connection, and after a failover). */
    private void sendClaim() {
        PeerLink current = link;
        Role role = role();
        if (current != null && role != null) {
            current.send(LinkChannel.CONTROL, RoleClaim.TYPE, new RoleClaim(role, promotedAtMillis).encode())
                    .exceptionally(failure -> null); // the next connection sends it again
        }
    }

    /** Two primaries met: the one promoted earlier steps down (the clients were moved to the other). */
    private void onClaim(PeerMessage message) {
        Role role = role();
        if (role == null) {
            return;
        }
        RoleClaim peer;
        try {
            peer = RoleClaim.decode(message.payload());
        } catch (java.io.IOException e) {
            logger.warn("Failover: ignoring a malformed role claim from {}: {}", message.from(), e.getMessage());
            return;
        }
        RoleClaim mine = new RoleClaim(role, promotedAtMillis);
        switch (mine.settle(peer)) {
            case STEP_DOWN -> roleChanges.execute(() -> {
                logger.error("TWO PRIMARIES: the peer {} became primary later (at {} ms, this node at {} ms): this node "
                        + "steps down to secondary; its disks will be resynchronised from the peer", message.from(),
                        peer.promotedAtMillis(), promotedAtMillis);
                try {
                    setRole(Role.SECONDARY);
                } catch (Exception e) {
                    logger.error("Failover: stepping down failed: {}", e.toString());
                }
            });
            case UNDECIDABLE -> logger.error("TWO PRIMARIES: this node and {} are both configured primary and neither was "
                    + "promoted by a failover: set role = secondary on one of them", message.from());
            default -> {
                // nothing to settle, or the peer steps down
            }
        }
    }

    private long readPromotedAt() {
        try {
            return promotedAtFile.exists() ? Long.parseLong(java.nio.file.Files.readString(promotedAtFile.toPath())
                    .trim()) : 0;
        } catch (java.io.IOException | NumberFormatException e) {
            logger.warn("Failover: {} unreadable ({}); taking this node as never promoted", promotedAtFile, e.toString());
            return 0;
        }
    }

    private void changed(FailoverState previous, FailoverState current, long elapsedMillis, String reason) {
        if (current == FailoverState.COMPLETED) {
            sendClaim();
        }
        PairConfiguration now = pair;
        EventSource source = now == null ? EventSource.now(EventSource.UNKNOWN_NODE, null)
                : EventSource.now(now.settings().nodeId().value(), now.settings().role());
        ColoEvents.post(eventAdmin, new FailoverChanged(source, previous, current, elapsedMillis, reason));
    }
}
