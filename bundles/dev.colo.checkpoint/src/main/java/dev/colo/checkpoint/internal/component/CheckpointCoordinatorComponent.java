package dev.colo.checkpoint.internal.component;

import dev.colo.api.checkpoint.CheckpointParticipant;
import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointRequests;
import dev.colo.api.checkpoint.SecondaryState;
import dev.colo.api.config.ComponentConfiguration;
import dev.colo.api.event.CheckpointCompleted;
import dev.colo.api.event.CheckpointFailed;
import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.ColoTopics;
import dev.colo.api.event.EventProperties;
import dev.colo.api.event.EventSource;
import dev.colo.api.event.SecondaryStale;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.Role;
import dev.colo.api.guest.ProtectedGuest;
import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.ManagedBean;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.PeerLink;
import dev.colo.api.transport.PeerMessage;
import dev.colo.checkpoint.internal.config.CheckpointConfig;
import dev.colo.checkpoint.internal.config.CheckpointSettings;
import dev.colo.api.checkpoint.CheckpointStep;
import dev.colo.api.management.CheckpointFaultsMXBean;
import dev.colo.checkpoint.internal.coordinator.CheckpointCoordinator;
import dev.colo.checkpoint.internal.faults.InjectedFaults;
import dev.colo.checkpoint.internal.jmx.CheckpointFaultsMBean;
import dev.colo.checkpoint.internal.jmx.CheckpointMBean;
import dev.colo.checkpoint.internal.protocol.CheckpointMessage;
import dev.colo.checkpoint.internal.run.CheckpointHistory;
import dev.colo.checkpoint.internal.run.CheckpointRecord;
import dev.colo.checkpoint.internal.run.SecondaryStaleness;
import java.util.Optional;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint coordinator of this node (configuration {@value CheckpointSettings#PID}, optional), in the
 * role the pair configuration gives it. It binds the node's guests, protected disks and checkpoint
 * participants as they come and go, talks to the peer's coordinator over the peer link, registers its
 * MXBean, posts an event for every checkpoint, and offers {@link CheckpointRequests} (which makes the proxy
 * compare) only while the pair is protected. Invalid configuration leaves it inactive with an error naming
 * the key and value.
 */
@Component(configurationPid = CheckpointSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = EventHandler.class, property = EventConstants.EVENT_TOPIC + "=" + ColoTopics.PEER_HEALTH_CHANGED,
        immediate = true)
@Designate(ocd = CheckpointConfig.class)
public final class CheckpointCoordinatorComponent implements EventHandler, CheckpointCoordinator.Protection {
    private static final Logger logger = LoggerFactory.getLogger(CheckpointCoordinatorComponent.class);

    private final PairSettings pair;
    private final PeerLink link;
    private final CheckpointMessageReceiver receiver;
    private final HeartbeatMonitor heartbeat;
    private final LocalParts local = new LocalParts();
    private final Consumer<PeerMessage> handler = this::onPeerMessage;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private volatile CheckpointCoordinator coordinator;
    private BundleContext context;
    private ManagedBean mbean;
    private ManagedBean faultsBean;
    private static final String LAST_EPOCH_FILE = "last-epoch";
    private LastEpochFile lastEpoch;
    private ServiceRegistration<CheckpointRequests> requests;
    /** Secondary: whether this node holds the primary's state, read by the failover controller when it decides. */
    private final SecondaryStaleness staleness = new SecondaryStaleness();
    private ServiceRegistration<SecondaryState> secondaryState;

    @Activate
    public CheckpointCoordinatorComponent(@Reference PairConfiguration pairConfiguration, @Reference PeerLink link,
            @Reference CheckpointMessageReceiver receiver, @Reference HeartbeatMonitor heartbeat) {
        this.pair = pairConfiguration.settings();
        this.link = link;
        this.receiver = receiver;
        this.heartbeat = heartbeat;
    }

    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> properties) {
        CheckpointSettings settings = ComponentConfiguration.parse(logger, properties, CheckpointSettings::parse,
                CheckpointSettings::unknownKeys, parsed -> CheckpointSettings.PID, "the checkpoint coordinator");
        this.context = bundleContext;
        lastEpoch = new LastEpochFile(bundleContext.getDataFile(LAST_EPOCH_FILE).toPath());
        InjectedFaults faults = settings.faultInjection() ? InjectedFaults.halting() : InjectedFaults.NONE;
        coordinator = new CheckpointCoordinator(pair.role(), settings, this::send, local, heartbeat.health(), this,
                lastEpoch.read(), faults);
        receiver.attach(handler);
        EventNotifications notifications = CheckpointMBean.notifications();
        mbean = ManagedBean.register(bundleContext, new CheckpointMBean(coordinator, notifications),
                CheckpointMXBean.OBJECT_NAME, notifications, null);
        if (settings.faultInjection()) {
            logger.warn("FAULT INJECTION IS ON ({} = true in {}.cfg): an operator can crash this node or fail its "
                    + "checkpoints through {}; for testing a pair only", CheckpointSettings.FAULT_INJECTION,
                    CheckpointSettings.PID, CheckpointFaultsMXBean.OBJECT_NAME);
            faultsBean = ManagedBean.register(bundleContext, new CheckpointFaultsMBean(faults, pair.role()),
                    CheckpointFaultsMXBean.OBJECT_NAME);
        }
        coordinator.start();
        if (pair.role() == Role.SECONDARY) {
            secondaryState = bundleContext.registerService(SecondaryState.class, new SecondaryState() {
                @Override
                public long loadedEpoch() {
                    return staleness.loadedEpoch();
                }

                @Override
                public Optional<String> staleReason() {
                    report(staleness.stalled(heartbeat.lastStallEndedNanos()));
                    return staleness.staleReason();
                }
            }, null);
        }
        logger.info("Checkpoint coordinator: {} , every {} ms (min gap {} ms, reply timeout {} ms)", pair.role(),
                settings.intervalMillis(), settings.minGapMillis(), settings.replyTimeoutMillis());
    }

    @Deactivate
    void deactivate() {
        if (secondaryState != null) {
            ManagedBean.unregisterQuietly(secondaryState);
        }
        receiver.detach(handler);
        coordinator.close();
        mbean.close();
        if (faultsBean != null) {
            faultsBean.close();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindGuest(ProtectedGuest guest) {
        local.guests.put(guest.name(), guest);
        guestsChanged();
    }

    void unbindGuest(ProtectedGuest guest) {
        local.guests.remove(guest.name(), guest);
        guestsChanged();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDisk(ProtectedDisk disk) {
        local.disks.add(disk);
        logger.info("Checkpoint coordinator: disk {} bound (disks {})", disk.name(), diskNames());
    }

    void unbindDisk(ProtectedDisk disk) {
        local.disks.remove(disk);
        logger.info("Checkpoint coordinator: disk {} unbound (disks {})", disk.name(), diskNames());
    }

    private List<String> diskNames() {
        return local.disks().stream().map(ProtectedDisk::name).toList();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindParticipant(CheckpointParticipant participant) {
        local.participants.add(participant);
    }

    void unbindParticipant(CheckpointParticipant participant) {
        local.participants.remove(participant);
    }

    @Override
    public void handleEvent(Event event) {
        CheckpointCoordinator running = coordinator;
        Object current = event.getProperty(EventProperties.CURRENT);
        if (current != null && pair.role() == Role.SECONDARY) {
            // the event's health, in the order the detector moved: a SUSPECTED between two ALIVEs must count
            report(staleness.peerHealth(PeerHealth.valueOf(current.toString())));
        }
        if (current != null && running != null) {
            // the detector's health now, not the event's: events are delivered asynchronously and may lag
            running.peerHealth(heartbeat.health());
        }
    }

    /** Offers {@link CheckpointRequests} while protected: the proxy compares only then. */
    @Override
    public synchronized void protecting(boolean now) {
        if (now && requests == null && context != null) {
            requests = context.registerService(CheckpointRequests.class, coordinator, null);
        } else if (!now && requests != null) {
            ManagedBean.unregisterQuietly(requests);
            requests = null;
        }
    }

    @Override
    public void checkpointed(CheckpointRecord record) {
        EventSource source = EventSource.now(pair.nodeId().value(), pair.role());
        String reasons = CheckpointHistory.reasons(record);
        if (record.completed()) {
            lastEpoch.write(record.epoch());
            Map<CheckpointStep, Long> micros = new EnumMap<>(CheckpointStep.class);
            record.stepNanos().forEach((step, nanos) -> micros.put(step, nanos / 1000));
            ColoEvents.post(eventAdmin, new CheckpointCompleted(source, record.epoch(), reasons, record.full(),
                    record.stateBytes(), record.pausedNanos() / 1000, micros));
        } else {
            ColoEvents.post(eventAdmin, new CheckpointFailed(source, record.epoch(), reasons, record.failedStep(),
                    record.detail()));
        }
    }

    /** Secondary: posted too, so that the failover controller knows this node holds the primary's state. */
    @Override
    public void loaded(long epoch, boolean full, long stateBytes, Set<CheckpointReason> reasons) {
        lastEpoch.write(epoch);
        report(staleness.loaded(epoch, System.nanoTime()));
        ColoEvents.post(eventAdmin, new CheckpointCompleted(EventSource.now(pair.nodeId().value(), pair.role()), epoch,
                CheckpointHistory.reasons(reasons), full, stateBytes, 0, Map.of()));
    }

    /** Secondary: posted as a failed checkpoint, so that the failover controller knows this node's state is behind. */
    @Override
    public void stale(long epoch, CheckpointStep step, String why) {
        report(staleness.stale(why));
        ColoEvents.post(eventAdmin, new CheckpointFailed(EventSource.now(pair.nodeId().value(), pair.role()), epoch,
                "", step, why));
    }

    /** Logs and publishes a change between holding the primary's state and being stale. */
    private void report(Optional<SecondaryStaleness.Change> change) {
        change.ifPresent(now -> {
            if (now.stale()) {
                logger.warn("This node no longer holds the primary's state ({}); it cannot take over until the next "
                        + "checkpoint is loaded", now.reason());
            } else {
                logger.info("This node holds the primary's state again ({})", now.reason());
            }
            ColoEvents.post(eventAdmin, new SecondaryStale(EventSource.now(pair.nodeId().value(), pair.role()),
                    now.epoch(), now.stale(), now.reason()));
        });
    }

    private void guestsChanged() {
        CheckpointCoordinator running = coordinator;
        if (running != null) {
            running.guestsChanged();
        }
    }

    /** Guest state goes on the BULK channel; the protocol's steps on CONTROL, in order with the heartbeats. */
    private void send(CheckpointMessage message) {
        LinkChannel channel = message instanceof CheckpointMessage.State ? LinkChannel.BULK : LinkChannel.CONTROL;
        link.send(channel, message.type(), message.encode()).exceptionally(failure -> {
            logger.debug("Checkpoint: {} not sent: {}", message.type(), failure.toString());
            return null;
        });
    }

    private void onPeerMessage(PeerMessage message) {
        CheckpointCoordinator running = coordinator;
        if (running == null) {
            return;
        }
        try {
            running.peerMessage(CheckpointMessage.decode(message.type(), message.payload()));
        } catch (IOException e) {
            logger.warn("Checkpoint: ignoring a malformed {} from {}: {}", message.type(), message.from(), e.getMessage());
        }
    }


}
