package dev.colo.replication.internal.component;

import dev.colo.api.Role;
import dev.colo.api.config.ComponentConfiguration;
import dev.colo.api.config.InvalidConfigurationException;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.ManagedBean;
import dev.colo.api.management.ReplicationMXBean;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.replication.DataHold;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.api.storage.BlockDevice;
import dev.colo.api.transport.PeerTls;
import dev.colo.nbd.export.ExportSpec;
import dev.colo.nbd.export.ExportTls;
import dev.colo.nbd.export.NbdExportHandle;
import dev.colo.nbd.export.NbdExporter;
import dev.colo.replication.internal.config.DiskConfig;
import dev.colo.replication.internal.config.DiskFiles;
import dev.colo.replication.internal.config.DiskSettings;
import dev.colo.replication.internal.disk.DiskParts;
import dev.colo.replication.internal.disk.ReplicatedDisk;
import dev.colo.replication.internal.jmx.ReplicationMBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One protected disk per factory configuration {@value DiskSettings#PID}, in the role the pair
 * configuration gives this node. It opens and checks the disk's files, completes a failover commit a crash
 * interrupted, exports what the peer and local tools need over NBD (on a secondary the replication
 * export, mutual TLS with the pair's certificates; on both the guest's view when {@code export.port} is
 * set), registers the disk ({@link ProtectedDisk}, {@link BlockDevice}) and its MXBean, and starts
 * replicating. Invalid configuration leaves it inactive with an error naming the key and value.
 */
@Component(configurationPid = DiskSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {},
        immediate = true)
@Designate(ocd = DiskConfig.class, factory = true)
public final class ProtectedDiskComponent {
    private static final Logger logger = LoggerFactory.getLogger(ProtectedDiskComponent.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RECONNECT_MIN = Duration.ofMillis(500);
    private static final Duration RECONNECT_MAX = Duration.ofSeconds(10);

    private final PairSettings pair;
    private final PeerTls peerTls;
    private final NbdExporter exporter;
    private final GenerationExchange generations;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private ManagedBean mbean;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private ReplicatedDisk disk;
    /** The hold of this node's data for an operator, while there is one (a split brain). */
    private DataHold hold;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindHold(DataHold added) {
        hold = added;
        if (disk != null) {
            disk.hold(added.reason());
        }
    }

    synchronized void unbindHold(DataHold removed) {
        if (hold != removed) {
            return;
        }
        hold = null;
        if (disk != null) {
            try {
                disk.release();
            } catch (IOException e) {
                logger.error("Disk {}: ending the hold of its data failed: {}", disk.name(), e.toString());
            }
        }
    }

    @Activate
    public ProtectedDiskComponent(@Reference PairConfiguration pairConfiguration, @Reference PeerTls peerTls,
            @Reference NbdExporter exporter, @Reference GenerationExchange generations) {
        this.pair = pairConfiguration.settings();
        this.peerTls = peerTls;
        this.exporter = exporter;
        this.generations = generations;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        DiskSettings settings = settings(properties);
        try {
            DiskFiles files = DiskFiles.open(settings, pair.role());
            resources.add(files);
            synchronized (this) {
                disk = ReplicatedDisk.open(parts(settings, files), new PublishingListener(pair.nodeId().value(),
                        pair.role(), settings.name(), () -> eventAdmin), hold == null ? "" : hold.reason());
            }
            resources.add(0, disk::close); // stopped before the files close
            ReplicatedDisk registered = disk;
            generations.register(registered);
            resources.add(0, () -> generations.unregister(registered));
            // started before anything can write: a guest that found the disk still NONE would have its writes
            // neither replicated nor recorded (its first records after a promotion never reached the peer)
            startUnlessFailedOver(disk);
            String exportUri = export(settings);
            register(context, settings, exportUri);
        } catch (InvalidConfigurationException e) {
            logger.error("{} — the disk stays inactive until this is corrected", e.getMessage());
            deactivate();
            throw e;
        } catch (IOException | RuntimeException e) {
            logger.error("Disk {}: cannot start: {}", settings.name(), e.toString());
            deactivate();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * Starts replicating, except on a disk that a failover commit finished while it opened: that node serves
     * S alone (DONE) until an operator re-protects it; restarting it must not make it a secondary again.
     */
    private static void startUnlessFailedOver(ReplicatedDisk disk) {
        if (disk.stage() == ReplicationStage.DONE) {
            logger.warn("Disk {}: a failover commit interrupted by a crash was completed; the disk serves its "
                    + "committed data alone (DONE) until it is re-protected", disk.name());
            return;
        }
        disk.start();
    }

    @Deactivate
    void deactivate() {
        if (mbean != null) {
            mbean.close();
        }
        registrations.forEach(ManagedBean::unregisterQuietly);
        registrations.clear();
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                logger.warn("Disk: closing {} failed: {}", resource, e.toString());
            }
        }
        resources.clear();
    }

    private static DiskSettings settings(Map<String, Object> properties) {
        return ComponentConfiguration.parse(logger, properties, DiskSettings::parse, DiskSettings::unknownKeys,
                parsed -> DiskSettings.PID + " (" + parsed.name() + ")", "the disk");
    }

    private DiskParts parts(DiskSettings settings, DiskFiles files) {
        boolean primary = pair.role() == Role.PRIMARY;
        return new DiskParts(settings.name(), pair.role(), files.local(), files.dirty(), files.layers(),
                files.generations(), settings.journalPath(), settings.mode(),
                Duration.ofMillis(settings.forwardTimeoutMillis()),
                primary ? new SecondaryConnector(pair.peerHost(), settings.peerReplicationPort(), settings.name(),
                        peerTls, CONNECT_TIMEOUT) : null,
                primary ? generations.peerOf(settings.name(), CONNECT_TIMEOUT) : null,
                settings.resyncBytesPerSecond(), RECONNECT_MIN, RECONNECT_MAX);
    }

    /** Exports the replication target (secondary) and the guest's view (if asked); returns the view's URI. */
    private String export(DiskSettings settings) throws IOException {
        if (pair.role() == Role.SECONDARY) {
            resources.add(0, exporter.export(new ExportSpec(settings.name(), disk.replicaDevice(),
                    new InetSocketAddress(pair.listenAddress(), settings.replicationPort()),
                    ExportTls.required(peerTls.context()))));
        }
        if (settings.exportPort() == 0) {
            return "";
        }
        // the primary's view waits for the secondary on every write
        NbdExportHandle view = exporter.export(new ExportSpec(settings.name() + "-view", disk.device(),
                new InetSocketAddress(settings.exportBindAddress(), settings.exportPort()), ExportTls.none(),
                pair.role() == Role.PRIMARY ? ExportSpec.Waits.ON_ANOTHER_HOST : ExportSpec.Waits.ON_LOCAL_DISK));
        resources.add(0, view);
        return "nbd://" + view.address().getHostString() + ":" + view.address().getPort() + "/" + view.name();
    }

    private void register(BundleContext context, DiskSettings settings, String exportUri) {
        var identity = FrameworkUtil.asDictionary(Map.<String, Object>of(BlockDevice.NAME_PROPERTY, settings.name()));
        registrations.add(context.registerService(ProtectedDisk.class, disk, identity));
        registrations.add(context.registerService(BlockDevice.class, disk.device(), identity));
        EventNotifications notifications = ReplicationMBean.notifications(settings.name());
        mbean = ManagedBean.register(context, new ReplicationMBean(disk, settings, exportUri, notifications),
                ReplicationMXBean.objectName(settings.name()), notifications, ReplicationMBean.eventFilter(settings.name()));
    }
}
