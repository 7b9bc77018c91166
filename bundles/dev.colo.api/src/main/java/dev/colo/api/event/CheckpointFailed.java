package dev.colo.api.event;

import dev.colo.api.checkpoint.CheckpointStep;
import java.util.Map;

/**
 * A checkpoint failed at {@code step}: the secondary does not have the primary's state of {@code epoch}. The
 * primary goes on unprotected (the proxy forwards directly) until a full checkpoint succeeds again.
 */
public record CheckpointFailed(EventSource source, long epoch, String reasons, CheckpointStep step, String reason)
        implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.CHECKPOINT_FAILED;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.EPOCH, epoch);
        properties.put(EventProperties.REASONS, reasons);
        properties.put(EventProperties.STEP, step.name());
        properties.put(EventProperties.REASON, reason);
        return properties;
    }

    static CheckpointFailed read(PropertyReader in) {
        return new CheckpointFailed(EventSource.fromProperties(in), in.number(EventProperties.EPOCH),
                in.string(EventProperties.REASONS), in.enumValue(EventProperties.STEP, CheckpointStep.class),
                in.string(EventProperties.REASON));
    }
}
