package dev.colo.api.event;

import java.util.Map;

/** Progress of a resynchronisation of one disk, about once a second, and once more when it ends. */
public record ReplicationResync(EventSource source, String disk, long totalBytes, long remainingBytes,
        long bytesPerSecond, boolean done) implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.REPLICATION_RESYNC;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.DISK, disk);
        properties.put(EventProperties.TOTAL_BYTES, totalBytes);
        properties.put(EventProperties.REMAINING_BYTES, remainingBytes);
        properties.put(EventProperties.RATE_BYTES_PER_SECOND, bytesPerSecond);
        properties.put(EventProperties.DONE, done);
        return properties;
    }

    static ReplicationResync read(PropertyReader in) {
        return new ReplicationResync(EventSource.fromProperties(in), in.string(EventProperties.DISK),
                in.number(EventProperties.TOTAL_BYTES), in.number(EventProperties.REMAINING_BYTES),
                in.number(EventProperties.RATE_BYTES_PER_SECOND), in.bool(EventProperties.DONE));
    }
}
