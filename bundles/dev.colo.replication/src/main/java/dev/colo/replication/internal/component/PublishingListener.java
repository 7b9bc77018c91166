package dev.colo.replication.internal.component;

import dev.colo.api.Role;
import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.EventSource;
import dev.colo.api.event.ReplicationDegraded;
import dev.colo.api.event.ReplicationResync;
import dev.colo.api.event.ReplicationStageChanged;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.api.replication.CopyProgress;
import dev.colo.replication.internal.disk.DiskListener;
import java.util.function.Supplier;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs what a disk reports and publishes it as COLO events (when an EventAdmin is there). */
final class PublishingListener implements DiskListener {
    private static final Logger logger = LoggerFactory.getLogger(PublishingListener.class);

    private final String node;
    private final Role role;
    private final String disk;
    private final Supplier<EventAdmin> eventAdmin;

    PublishingListener(String node, Role role, String disk, Supplier<EventAdmin> eventAdmin) {
        this.node = node;
        this.role = role;
        this.disk = disk;
        this.eventAdmin = eventAdmin;
    }

    @Override
    public void stageChanged(ReplicationStage from, ReplicationStage to, long epoch, String reason) {
        logger.info("Disk {}: {} -> {} (epoch {}): {}", disk, from, to, epoch, reason);
        ColoEvents.post(eventAdmin.get(), new ReplicationStageChanged(source(), disk, from, to, epoch, reason));
    }

    @Override
    public void degradedChanged(boolean degraded, long epoch, long dirtyBytes, String reason) {
        if (degraded) {
            logger.warn("Disk {}: degraded, serving without the secondary and recording changed blocks: {}", disk,
                    reason);
        } else {
            logger.info("Disk {}: protected by the secondary again: {}", disk, reason);
        }
        ColoEvents.post(eventAdmin.get(), new ReplicationDegraded(source(), disk, degraded, epoch, dirtyBytes, reason));
    }

    @Override
    public void resyncProgress(CopyProgress progress, boolean done) {
        logger.info("Disk {}: resynchronisation {} % ({} bytes left, {} B/s){}", disk, progress.percent(),
                progress.remainingBytes(), progress.bytesPerSecond(), done ? ", done" : "");
        ColoEvents.post(eventAdmin.get(), new ReplicationResync(source(), disk, progress.totalBytes(),
                progress.remainingBytes(), progress.bytesPerSecond(), done));
    }

    private EventSource source() {
        return EventSource.now(node, role);
    }
}
