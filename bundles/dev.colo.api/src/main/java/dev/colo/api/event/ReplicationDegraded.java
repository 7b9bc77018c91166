package dev.colo.api.event;

import java.util.Map;

/**
 * The primary lost (or regained) its secondary for a disk: while degraded it serves alone and records
 * the blocks it changes in the disk's dirty bitmap, for the resynchronisation that re-protection does.
 */
public record ReplicationDegraded(EventSource source, String disk, boolean degraded, long epoch, long dirtyBytes,
        String reason) implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.REPLICATION_DEGRADED;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.DISK, disk);
        properties.put(EventProperties.DEGRADED, degraded);
        properties.put(EventProperties.EPOCH, epoch);
        properties.put(EventProperties.DIRTY_BYTES, dirtyBytes);
        properties.put(EventProperties.REASON, reason);
        return properties;
    }

    static ReplicationDegraded read(PropertyReader in) {
        return new ReplicationDegraded(EventSource.fromProperties(in), in.string(EventProperties.DISK),
                in.bool(EventProperties.DEGRADED), in.number(EventProperties.EPOCH),
                in.number(EventProperties.DIRTY_BYTES), in.string(EventProperties.REASON));
    }
}
