package dev.colo.failover.internal.component;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointRequests;
import dev.colo.api.checkpoint.SecondaryState;
import dev.colo.api.config.ComponentConfiguration;
import dev.colo.api.config.InvalidConfigurationException;
import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.ColoTopics;
import dev.colo.api.event.EventProperties;
import dev.colo.api.event.EventSource;
import dev.colo.api.event.FailoverChanged;
import dev.colo.api.failover.FailoverState;
import dev.colo.api.failover.HandOver;
import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.management.ManagedBean;
import dev.colo.api.management.ReprotectionProgress;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairKeys;
import dev.colo.api.replication.DataHold;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.api.replication.ReplicationStatus;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.LinkState;
import dev.colo.api.transport.PeerLink;
import dev.colo.api.transport.PeerMessage;
import dev.colo.api.util.Threads;
import dev.colo.failover.internal.claim.RoleClaim;
import dev.colo.failover.internal.claim.SplitBrainFile;
import dev.colo.failover.internal.switchover.ProtectedPair;
import dev.colo.failover.internal.switchover.Switchover;
import dev.colo.failover.internal.switchover.SwitchoverMessage;
import dev.colo.api.event.RoleConflict;
import dev.colo.failover.internal.config.FailoverConfig;
import dev.colo.failover.internal.config.FailoverSettings;
import dev.colo.failover.internal.controller.FailoverController;
import dev.colo.failover.internal.controller.ShellCommand;
import dev.colo.failover.internal.jmx.FailoverMBean;
import dev.colo.failover.internal.reprotect.Reprotection;
import dev.colo.failover.internal.reprotect.ReprotectionControl;
import dev.colo.failover.internal.role.ConfigFileRole;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
        service = {EventHandler.class, HandOver.class}, property = {EventConstants.EVENT_TOPIC + "=" + ColoTopics.PEER_HEALTH_CHANGED,
            EventConstants.EVENT_TOPIC + "=" + ColoTopics.LINK_STATE_CHANGED}, immediate = true)
@Designate(ocd = FailoverConfig.class)
public final class FailoverComponent implements EventHandler, HandOver, FailoverController.Node,
        ReprotectionControl, FailoverMBean.Roles {
    private static final Logger logger = LoggerFactory.getLogger(FailoverComponent.class);

    private static final String PROMOTED_AT_FILE = "promoted-at-ms";
    private static final String SPLIT_BRAIN_FILE = "split-brain";
    /**
     * The promotion (ms) by which an operator kept this node at a split brain; it marks the claims of that one only,
     * until the pair is protected again.
     */
    private static final String KEPT_AT_FILE = "kept-by-operator-at-ms";
    private static final java.time.Duration SWITCHOVER_CHECKPOINT_TIMEOUT = java.time.Duration.ofSeconds(30);
    private static final java.time.Duration SWITCHOVER_ANSWER_TIMEOUT = java.time.Duration.ofSeconds(5);
    private static final java.time.Duration HAND_OVER_PROTECTION_WAIT = java.time.Duration.ofSeconds(10);

    private final ConfigurationAdmin configurationAdmin;
    private final RoleClaimReceiver claims;
    private final Consumer<PeerMessage> claimHandler = this::onRoleMessage;
    private final ExecutorService roleChanges = Executors.newSingleThreadExecutor(Threads.named("colo-role-claim-"));
    private static final java.time.Duration FILE_GUARD = java.time.Duration.ofSeconds(5);
    private final ScheduledExecutorService fileGuard = Executors.newSingleThreadScheduledExecutor(
            Threads.named("colo-role-file-guard-"));
    /** Role changes write the file and start its guard under this lock; only the latest guard puts it back. */
    private final Object fileGuardLock = new Object();
    private long latestFileGuard;
    /** When this node last became primary by a failover (persisted in the bundle's data), 0 if never. */
    private volatile long promotedAtMillis;
    private java.io.File promotedAtFile;
    private java.io.File keptAtFile;
    private BundleContext bundleContext;
    /** Registered while a split brain holds this node's data for an operator (the disks honour it). */
    private org.osgi.framework.ServiceRegistration<DataHold> dataHold;

    /** Optional and dynamic: it restarts with the role, this component must not. */
    private volatile PeerLink link;
    private final List<ProtectedDisk> disks = new CopyOnWriteArrayList<>();

    /** Optional: while the pair configuration is replaced (the role changes) this component must live on. */
    private volatile PairConfiguration pair;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HeartbeatMonitor heartbeat;

    /** Offered by the checkpoint coordinator only while the pair is protected. */
    private final ProtectedPair protectedPair = new ProtectedPair();

    /**
     * Offered by the checkpoint coordinator of a secondary: whether this node holds the primary's state, read at the
     * moment of each decision (an event could arrive after the one that asks for a failover).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SecondaryState secondaryState;

    private FailoverController controller;
    private Switchover switchover;
    private SplitBrainFile splitBrain;
    private volatile String lastRoleConflict = "";
    /** The peer's last claim while it could not be settled yet (PENDING), with its sender; settled again as disks come. */
    private volatile PendingClaim pendingClaim;
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
        keptAtFile = context.getDataFile(KEPT_AT_FILE);
        promotedAtMillis = readPromotedAt();
        controller = new FailoverController(settings, this, new ShellCommand(), this::changed);
        splitBrain = new SplitBrainFile(context.getDataFile(SPLIT_BRAIN_FILE).toPath());
        bundleContext = context;
        holdData();
        switchover = new Switchover(new Switchover.Node() {
            @Override
            public Role role() {
                return FailoverComponent.this.role();
            }

            @Override
            public ProtectedPair protectedPair() {
                return protectedPair;
            }

            @Override
            public boolean peerAlive() {
                return FailoverComponent.this.peerAlive();
            }

            @Override
            public CompletableFuture<Void> send(SwitchoverMessage message) {
                PeerLink current = link;
                return current == null ? CompletableFuture.failedFuture(
                        new IllegalStateException("no peer link")) : current.send(LinkChannel.CONTROL,
                        SwitchoverMessage.TYPE, message.encode());
            }

            @Override
            public void demote() throws Exception {
                setRole(Role.SECONDARY);
            }
        }, SWITCHOVER_CHECKPOINT_TIMEOUT, SWITCHOVER_ANSWER_TIMEOUT, HAND_OVER_PROTECTION_WAIT);
        claims.attach(claimHandler);
        EventNotifications notifications = FailoverMBean.notifications();
        mbean = ManagedBean.register(context, new FailoverMBean(controller, this,
                this, notifications),
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
        releaseData();
        claims.detach(claimHandler);
        roleChanges.shutdownNow();
        fileGuard.shutdownNow();
        if (mbean != null) {
            mbean.close();
        }
        controller.close();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindProtectedPair(CheckpointRequests coordinator) {
        protectedPair.offered(coordinator);
        later(this::operatorsChoiceCarriedOut);
    }

    /**
     * Protected again after an operator kept this node at a split brain: the peer holds this node's data, so the mark
     * has done its work; kept longer, it would let this node win a later meeting of two primaries against newer data
     * (a failover to the peer while this node was down, say).
     */
    private void operatorsChoiceCarriedOut() {
        if (keptAtFile != null && keptAtFile.exists() && role() == Role.PRIMARY && protectedPair.now() != null) {
            if (keptAtFile.delete()) {
                logger.info("Failover: protected again after the operator kept this node at a split brain: its claims "
                        + "no longer carry the operator's mark");
            }
        }
    }

    void unbindProtectedPair(CheckpointRequests coordinator) {
        protectedPair.withdrawn(coordinator);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDisk(ProtectedDisk disk) {
        disks.add(disk);
        later(this::claimChanged);
    }

    void unbindDisk(ProtectedDisk disk) {
        disks.remove(disk);
        later(this::claimChanged);
    }

    /*
     * The pair configuration and the link come back with a role change, bound by SCR on the thread that registers
     * them, possibly long after the link connected and the peer's claim came (a guest starting on its disk in the same
     * cascade): each bind sends this node's claim again and settles a claim left pending. Without it, two primaries
     * met after a cut sat side by side until the next change of the peer's health.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPair(PairConfiguration configuration) {
        pair = configuration;
        later(this::claimChanged);
    }

    void unbindPair(PairConfiguration configuration) {
        if (pair == configuration) {
            pair = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindLink(PeerLink peerLink) {
        link = peerLink;
        later(this::claimChanged);
    }

    void unbindLink(PeerLink peerLink) {
        if (link == peerLink) {
            link = null;
        }
    }

    /** Runs a role change on the role thread; after deactivation (SCR unbinds disks then) there is nothing to change. */
    private void later(Runnable change) {
        try {
            roleChanges.execute(change);
        } catch (RejectedExecutionException stopped) {
            logger.debug("Failover: stopped, a role change is dropped");
        }
    }

    /**
     * What a claim says, or whether it can be sent, changed (a claim sent while the disks were starting named too few):
     * the peer gets a complete one, a pending one is settled.
     */
    private void claimChanged() {
        if (controller == null) {
            return; // bound before activation: the claim goes when the link connects
        }
        sendClaim();
        PendingClaim pending = pendingClaim;
        if (pending != null) {
            onClaim(pending.claim(), pending.from());
        }
    }

    private record PendingClaim(RoleClaim claim, String from) {
    }

    @Override
    public void handleEvent(Event event) {
        if (controller == null) {
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
            controller.peerHeard();
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
        } else if (!staleReason().isEmpty()) {
            // taking over now would make a second primary with old data: what the primary acknowledged since is lost
            logger.error("Failover: the peer is DEAD but this node does not hold the primary's state ({}): no "
                    + "automatic failover. If the primary is gone for good, forceFailover takes over and loses what "
                    + "it acknowledged since this node's last loaded checkpoint", staleReason());
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
                .map(disk -> {
                    ReplicationStatus status = disk.status();
                    return new Reprotection.Disk(disk.name(), status.dirtyBytes(), disk.resync(), status.degraded());
                }).toList();
        return Reprotection.assess(new Reprotection.Facts(role(), controller.state(),
                monitor == null ? PeerHealth.UNKNOWN : monitor.health(), disks, protectedPair.now() != null,
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

    /** Why this secondary does not hold the primary's state; empty when it does, and on a primary. */
    @Override
    public String staleReason() {
        if (role() != Role.SECONDARY) {
            return "";
        }
        SecondaryState state = secondaryState;
        return state == null ? "the checkpoint coordinator of this node is not running (its configuration, or a "
                + "component it needs, is missing): it holds nothing of the primary's state"
                : state.staleReason().orElse("");
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
            synchronized (fileGuardLock) {
                guardFile(file.get(), ConfigFileRole.write(file.get(), role.configValue()), ++latestFileGuard);
            }
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

    /**
     * For a few seconds after a role change, puts the pair configuration's file back whole should it lose its
     * {@code node.id} (see {@link ConfigFileRole}): FileInstall would otherwise store the truncated file and the node
     * stay without a pair configuration until an operator restores it. On a thread of its own: the role change
     * (and a failover's takeover command after it) does not wait for the guard. A later role change ends it: put back,
     * its file would name the role this node had before (a failover completing just before the node steps down).
     */
    private void guardFile(java.nio.file.Path file, List<String> whole, long number) {
        long until = System.nanoTime() + FILE_GUARD.toNanos();
        ScheduledFuture<?>[] guard = new ScheduledFuture<?>[1];
        guard[0] = fileGuard.scheduleWithFixedDelay(() -> {
            synchronized (fileGuardLock) {
                if (number != latestFileGuard || System.nanoTime() > until) {
                    guard[0].cancel(false);
                    return;
                }
                try {
                    if (ConfigFileRole.restoreIfTruncated(file, whole)) {
                        logger.warn("Failover: {} lost its node.id as the role changed (a partial write-back); put "
                                + "back whole", file);
                    }
                } catch (java.io.IOException e) {
                    logger.warn("Failover: cannot check {}: {}", file, e.toString());
                }
            }
        }, 50, 50, TimeUnit.MILLISECONDS); // (just written: the first look can wait)
    }

    /** Tells the peer this node's role, promotion and disk generations (on every connection, after a role change). */
    private void sendClaim() {
        PeerLink current = link;
        Role role = role();
        if (current != null && role != null) {
            current.send(LinkChannel.CONTROL, RoleClaim.TYPE, myClaim(role).encode())
                    .exceptionally(failure -> null); // the next connection sends it again
        }
    }

    private RoleClaim myClaim(Role role) {
        long epoch = disks.stream().mapToLong(ProtectedDisk::epoch).max().orElse(-1);
        List<RoleClaim.Disk> generations = disks.stream()
                .map(disk -> new RoleClaim.Disk(disk.name(), disk.generations())).toList();
        return new RoleClaim(role, promotedAtMillis, epoch, generations,
                role == Role.PRIMARY && promotedAtMillis != 0 && readMillis(keptAtFile) == promotedAtMillis);
    }

    /** A message of the peer's failover controller: its role claim, or a switchover's request or answer. */
    private void onRoleMessage(PeerMessage message) {
        try {
            if (SwitchoverMessage.TYPE.equals(message.type())) {
                SwitchoverMessage switchoverMessage = SwitchoverMessage.decode(message.payload());
                if (switchoverMessage.kind() == SwitchoverMessage.Kind.REQUEST) {
                    later(() -> acceptSwitchover(switchoverMessage, message.from().value()));
                } else if (switchoverMessage.kind() == SwitchoverMessage.Kind.HAND_OVER) {
                    later(() -> acceptHandOver(switchoverMessage, message.from().value()));
                } else {
                    switchover.onAnswer(switchoverMessage);
                }
            } else {
                RoleClaim peer = RoleClaim.decode(message.payload());
                later(() -> onClaim(peer, message.from().value()));
            }
        } catch (java.io.IOException e) {
            logger.warn("Failover: ignoring a malformed {} from {}: {}", message.type(), message.from(), e.getMessage());
        }
    }

    /** Two primaries met (or a split brain's peer was kept): settled from the data, never by discarding it. */
    private void onClaim(RoleClaim peer, String from) {
        Role role = role();
        if (role == null) {
            pendingClaim = new PendingClaim(peer, from); // the pair configuration is being replaced: settled on its bind
            return;
        }
        if (splitBrain.active() && role == Role.SECONDARY && peer.role() == Role.PRIMARY) {
            if (!splitBrain.keptThePeer(peer.promotedAtMillis())) {
                logger.warn("Split brain: {} still claims the primary role it had at the split brain; this node "
                        + "waits for an operator (resolveSplitBrain)", from);
                return;
            }
            // the operator kept the peer (it was promoted again): this node is resynchronised from it
            splitBrain.clear();
            releaseData();
            conflict(from, "RESOLVED", "the peer " + from + " was kept as the primary; this node's disks are "
                    + "resynchronised from it");
            return;
        }
        RoleClaim.Settlement settlement = myClaim(role).settle(peer);
        pendingClaim = settlement.verdict() == RoleClaim.Verdict.PENDING ? new PendingClaim(peer, from) : null;
        if (EnumSet.of(RoleClaim.Verdict.STAY, RoleClaim.Verdict.SPLIT_BRAIN, RoleClaim.Verdict.UNDECIDABLE)
                .contains(settlement.verdict())) {
            // the peer must settle this node's claim as a primary's too (to step down, or to stop at a split brain),
            // but the last one it had may have come while it was not the primary yet (a failover under way), when
            // there was nothing to settle: it gets this one, sent before this node changes anything
            sendClaim();
        }
        switch (settlement.verdict()) {
            case STEP_DOWN -> {
                logger.error("TWO PRIMARIES: {}: this node steps down to secondary; its disks will be resynchronised "
                        + "from {}", settlement.reason(), from);
                conflict(from, settlement.verdict().name(), settlement.reason());
                demote("stepping down");
            }
            case STAY -> {
                logger.error("TWO PRIMARIES: {}: this node stays the primary; {} steps down", settlement.reason(),
                        from);
                conflict(from, settlement.verdict().name(), settlement.reason());
            }
            case SPLIT_BRAIN, UNDECIDABLE -> {
                String what = settlement.verdict() == RoleClaim.Verdict.SPLIT_BRAIN ? "SPLIT BRAIN"
                        : "TWO PRIMARIES, NOTHING TELLS THEM APART";
                logger.error("{} with {}: {}. This node stops acknowledging (it becomes a secondary, its data "
                        + "untouched) until an operator keeps one side: resolveSplitBrain on {} (bin/colo resolve "
                        + "--keep NODE, colo:resolve --keep NODE)", what, from, settlement.reason(),
                        FailoverMXBean.OBJECT_NAME);
                splitBrain.set(from, from + ": " + settlement.reason(), peer.promotedAtMillis());
                holdData(); // before the disks restart as a secondary's, which the peer would resynchronise
                conflict(from, settlement.verdict().name(), settlement.reason());
                demote("stopping at a split brain");
            }
            case PENDING -> logger.warn("Two primaries: {}; settled when the next claim names them", settlement.reason());
            default -> {
                // nothing to settle
            }
        }
    }

    /**
     * While this node stopped at a split brain, its disks keep their data, generations and own changes, and refuse
     * the primary's resynchronisation: an operator chooses which side stays, not the first primary to connect.
     */
    private synchronized void holdData() {
        if (dataHold == null && bundleContext != null && splitBrain.active()) {
            String why = "split brain: " + splitBrain.reason();
            dataHold = bundleContext.registerService(DataHold.class, () -> why, null);
        }
    }

    private synchronized void releaseData() {
        if (dataHold != null) {
            try {
                dataHold.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework took it
            }
            dataHold = null;
        }
    }

    private void demote(String why) {
        try {
            setRole(Role.SECONDARY);
        } catch (Exception e) {
            logger.error("Failover: {} failed: {}", why, e.toString());
        }
    }

    private void conflict(String peer, String verdict, String reason) {
        lastRoleConflict = java.time.Instant.now() + " " + verdict + " with " + peer + ": " + reason;
        ColoEvents.post(eventAdmin, new RoleConflict(source(), peer, verdict, reason));
    }

    /** The secondary's side of a switchover: takes over if it holds exactly the primary's last checkpoint. */
    private void acceptSwitchover(SwitchoverMessage request, String from) {
        String refusal = switchoverRefusal(request.epoch());
        String outcome = refusal == null ? controller.requestSwitchover("switchover from " + from + " at epoch "
                + request.epoch()) : "refused: " + refusal;
        boolean accepted = "requested".equals(outcome);
        logger.warn("Switchover from {} at epoch {}: {}", from, request.epoch(), outcome);
        answer(request, accepted, outcome);
    }

    /** The secondary's side of a hand-over: takes over with the state it ran if it holds the primary's state. */
    private void acceptHandOver(SwitchoverMessage request, String from) {
        String stale = staleReason();
        String outcome = role() != Role.SECONDARY ? "refused: this node is not the secondary"
                : !stale.isEmpty() ? "refused: this node does not hold the primary's state (" + stale + ")"
                : controller.requestSwitchover("hand-over from " + from + ": " + request.detail());
        answer(request, "requested".equals(outcome), outcome);
        logger.warn("Hand-over from {} ({}): {}", from, request.detail(), outcome);
    }

    private void answer(SwitchoverMessage request, boolean accepted, String outcome) {
        PeerLink current = link;
        if (current != null) {
            current.send(LinkChannel.CONTROL, SwitchoverMessage.TYPE, new SwitchoverMessage(accepted
                    ? SwitchoverMessage.Kind.ACCEPTED : SwitchoverMessage.Kind.REFUSED, request.epoch(),
                    accepted ? "" : outcome).encode()).exceptionally(failure -> null); // the primary then times out
        }
    }

    /**
     * A component of this primary cannot serve and restarting did not mend it: the secondary takes over if it holds
     * this node's state (on the role thread; the answer arrives on the link's).
     */
    @Override
    public CompletableFuture<String> request(String component, String problem) {
        if (role() != Role.PRIMARY) {
            return CompletableFuture.completedFuture("refused: this node is not the primary");
        }
        String peer = peerName();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        try {
            roleChanges.execute(() -> {
                try {
                    outcome.complete(switchover.handOver(peer, component + " cannot serve: " + problem));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    outcome.complete("interrupted");
                } catch (RuntimeException e) {
                    outcome.complete("failed: " + e);
                }
            });
        } catch (RejectedExecutionException stopping) {
            outcome.complete("refused: the failover controller is stopping");
        }
        return outcome.whenComplete((done, failure) -> logger.warn("Hand-over ({}): {}", component, done));
    }

    private String switchoverRefusal(long epoch) {
        if (role() != Role.SECONDARY) {
            return "this node is not the secondary";
        }
        String stale = staleReason();
        if (!stale.isEmpty()) {
            return "this node does not hold the primary's state (" + stale + ")";
        }
        SecondaryState state = secondaryState;
        if (state == null || state.loadedEpoch() != epoch) {
            return "this node loaded epoch " + (state == null ? -1 : state.loadedEpoch()) + ", not " + epoch;
        }
        return null;
    }

    @Override
    public String switchover() {
        try {
            return switchover.run(peerName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public boolean peerAlive() {
        HeartbeatMonitor monitor = heartbeat;
        return monitor != null && monitor.health() == PeerHealth.ALIVE;
    }

    @Override
    public boolean splitBrain() {
        return splitBrain.active();
    }

    @Override
    public String lastRoleConflict() {
        return lastRoleConflict;
    }

    /** On the role thread: a split brain's demotion may still be replacing the pair configuration (for seconds). */
    @Override
    public String resolveSplitBrain(String keep) {
        try {
            return roleChanges.submit(() -> resolveSplitBrainNow(keep)).get(60, TimeUnit.SECONDS);
        } catch (RejectedExecutionException stopping) {
            return "refused: the failover controller is stopping";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException | TimeoutException e) {
            return "failed: " + e;
        }
    }

    private String resolveSplitBrainNow(String keep) {
        if (!splitBrain.active()) {
            return "refused: there is no split brain on this node";
        }
        PairConfiguration current = pair;
        if (current == null) {
            return "refused: this node has no valid pair configuration";
        }
        String me = current.settings().nodeId().value();
        // the peer as the split brain recorded it: the link may be down now, when only its address is known
        String peer = splitBrain.peer().isEmpty() ? peerName() : splitBrain.peer();
        if (!me.equals(keep) && !peer.equals(keep)) {
            return "refused: " + keep + " is neither this node (" + me + ") nor its peer (" + peer + ")";
        }
        if (!me.equals(keep)) {
            splitBrain.clear();
            releaseData();
            conflict(peer, "RESOLVED", "an operator kept " + keep + "; this node's writes that it lacks are "
                    + "discarded by its resynchronisation");
            return "discarding " + me + "'s own writes: it stays the secondary and is resynchronised from " + keep
                    + " once that is the primary (had " + keep + " stopped at the split brain too: resolve --keep "
                    + keep + " on " + keep + ")";
        }
        try {
            splitBrain.clear();
            releaseData();
            becomePrimary();
            // the peer may have gone on as the primary without seeing the split brain: the data cannot tell it to
            // step down (each has writes the other lacks), this node's claims do, until the pair is protected again
            java.nio.file.Files.writeString(keptAtFile.toPath(), Long.toString(promotedAtMillis));
        } catch (Exception e) {
            return "failed: " + e;
        }
        conflict(peerName(), "RESOLVED", "an operator kept " + me + "; the peer's writes that "
                + "this node lacks are discarded by its resynchronisation");
        sendClaim();
        return "kept " + me + ": it is the primary; the peer becomes its secondary and is resynchronised from it";
    }

    /** The peer's node id from its certificate, or its address before it was first authenticated. */
    private String peerName() {
        PeerLink current = link;
        String id = current == null ? "" : current.stats().peerNodeId();
        PairConfiguration configuration = pair;
        return !id.isEmpty() ? id : configuration == null ? "the peer" : configuration.settings().peerAddress();
    }

    private EventSource source() {
        PairConfiguration now = pair;
        return now == null ? EventSource.now(EventSource.UNKNOWN_NODE, null)
                : EventSource.now(now.settings().nodeId().value(), now.settings().role());
    }

    private long readPromotedAt() {
        return readMillis(promotedAtFile);
    }

    /** A file holding one time in ms; 0 when it is absent or unreadable (taken as never). */
    private static long readMillis(java.io.File file) {
        try {
            return file.exists() ? Long.parseLong(java.nio.file.Files.readString(file.toPath()).trim()) : 0;
        } catch (java.io.IOException | NumberFormatException e) {
            logger.warn("Failover: {} unreadable ({}); taking it as never", file, e.toString());
            return 0;
        }
    }

    private void changed(FailoverState previous, FailoverState current, long elapsedMillis, String reason) {
        if (current == FailoverState.COMPLETED) {
            sendClaim();
        }
        ColoEvents.post(eventAdmin, new FailoverChanged(source(), previous, current, elapsedMillis, reason));
    }
}
