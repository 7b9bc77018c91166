package dev.colo.api.event;

import dev.colo.api.replication.ReplicationStage;
import java.util.Map;

/** A protected disk moved to another stage (start, stop, failover and its outcome). */
public record ReplicationStageChanged(EventSource source, String disk, ReplicationStage previous,
        ReplicationStage current, long epoch, String reason) implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.REPLICATION_STAGE_CHANGED;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.DISK, disk);
        properties.put(EventProperties.PREVIOUS, previous.name());
        properties.put(EventProperties.CURRENT, current.name());
        properties.put(EventProperties.EPOCH, epoch);
        properties.put(EventProperties.REASON, reason);
        return properties;
    }

    static ReplicationStageChanged read(PropertyReader in) {
        return new ReplicationStageChanged(EventSource.fromProperties(in), in.string(EventProperties.DISK),
                in.enumValue(EventProperties.PREVIOUS, ReplicationStage.class),
                in.enumValue(EventProperties.CURRENT, ReplicationStage.class), in.number(EventProperties.EPOCH),
                in.string(EventProperties.REASON));
    }
}
