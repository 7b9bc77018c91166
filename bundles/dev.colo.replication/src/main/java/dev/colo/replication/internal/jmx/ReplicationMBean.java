package dev.colo.replication.internal.jmx;

import dev.colo.api.event.ColoTopics;
import dev.colo.api.event.EventProperties;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.ReplicationMXBean;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.api.replication.ReplicationStatus;
import dev.colo.api.replication.CopyProgress;
import dev.colo.replication.internal.config.DiskSettings;
import dev.colo.replication.internal.disk.ReplicatedDisk;
import javax.management.StandardEmitterMBean;

/**
 * The {@link ReplicationMXBean} of one disk, a {@link StandardMBean} built as an MXBean so that the JMX
 * whiteboard registers open types (records become CompositeData).
 */
public final class ReplicationMBean extends StandardEmitterMBean implements ReplicationMXBean {
    private final ReplicatedDisk disk;
    private final DiskSettings settings;
    private final String exportUri;

    /**
     * Its notifications: {@code dev.colo.replication.stage-changed} (then an attribute change of {@code Stage}),
     * {@code .degraded} and {@code .resync} (progress).
     */
    public static EventNotifications notifications(String disk) {
        return new EventNotifications(ReplicationMXBean.objectName(disk),
                EventNotifications.Topic.changing(ColoTopics.REPLICATION_STAGE_CHANGED, "Stage"),
                EventNotifications.Topic.of(ColoTopics.REPLICATION_DEGRADED),
                EventNotifications.Topic.of(ColoTopics.REPLICATION_RESYNC));
    }

    /** The events of this disk only. */
    public static String eventFilter(String disk) {
        return "(" + EventProperties.DISK + "=" + EventNotifications.filterValue(disk) + ")";
    }

    public ReplicationMBean(ReplicatedDisk disk, DiskSettings settings, String exportUri,
            EventNotifications notifications) {
        super(ReplicationMXBean.class, true, notifications.emitter());
        this.disk = disk;
        this.settings = settings;
        this.exportUri = exportUri;
    }


    @Override
    public String getDiskName() {
        return disk.name();
    }

    @Override
    public String getRole() {
        return disk.role().configValue();
    }

    @Override
    public ReplicationStage getStage() {
        return disk.stage();
    }

    @Override
    public long getEpoch() {
        return disk.epoch();
    }

    @Override
    public boolean isDegraded() {
        return disk.status().degraded();
    }

    @Override
    public long getDirtyBytes() {
        return disk.status().dirtyBytes();
    }

    @Override
    public long getActiveOverlayBytes() {
        return disk.status().activeBytes();
    }

    @Override
    public long getHiddenOverlayBytes() {
        return disk.status().hiddenBytes();
    }

    @Override
    public long getLastCheckpointMicros() {
        long nanos = disk.lastCheckpointNanos();
        return nanos < 0 ? -1 : nanos / 1000;
    }

    @Override
    public String getError() {
        return disk.error().orElse("");
    }

    @Override
    public ReplicationStatus getStatus() {
        return disk.status();
    }

    @Override
    public CopyProgress getResync() {
        return disk.resync();
    }

    @Override
    public String getLocalPath() {
        return settings.localPath().toString();
    }

    @Override
    public String getActiveOverlayPath() {
        return settings.activePath().toString();
    }

    @Override
    public String getHiddenOverlayPath() {
        return settings.hiddenPath().toString();
    }

    @Override
    public String getExportUri() {
        return exportUri;
    }

    @Override
    public void start() {
        disk.start();
    }

    @Override
    public long checkpoint() {
        return disk.checkpoint();
    }

    @Override
    public ReplicationStage failover() {
        disk.failover();
        return disk.stage();
    }

    @Override
    public void stop() {
        disk.stop();
    }
}
