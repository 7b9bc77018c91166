package dev.colo.api.event;

import dev.colo.api.checkpoint.CheckpointStep;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A checkpoint ran to the end on both nodes (DESIGN §5): the secondary's guests and disks are the primary's
 * as of {@code epoch}.
 *
 * @param reasons      why it ran, comma-separated ({@code PERIODIC}, {@code MISCOMPARE}, …)
 * @param pausedMicros how long the primary's guests were paused
 * @param stepMicros   the duration of each step, µs ({@code step.<step>.us} in the event)
 */
public record CheckpointCompleted(EventSource source, long epoch, String reasons, boolean full, long stateBytes,
        long pausedMicros, Map<CheckpointStep, Long> stepMicros) implements ColoEvent {

    public CheckpointCompleted {
        stepMicros = Map.copyOf(stepMicros);
    }

    @Override
    public String topic() {
        return ColoTopics.CHECKPOINT_COMPLETED;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.EPOCH, epoch);
        properties.put(EventProperties.REASONS, reasons);
        properties.put(EventProperties.FULL, full);
        properties.put(EventProperties.STATE_BYTES, stateBytes);
        properties.put(EventProperties.PAUSED_US, pausedMicros);
        stepMicros.forEach((step, micros) -> properties.put(stepKey(step), micros));
        return properties;
    }

    /** {@code step.<step>.us}. */
    public static String stepKey(CheckpointStep step) {
        return EventProperties.STEP_PREFIX + step.name().toLowerCase(Locale.ROOT) + ".us";
    }

    static CheckpointCompleted read(PropertyReader in) {
        Map<CheckpointStep, Long> steps = new EnumMap<>(CheckpointStep.class);
        for (CheckpointStep step : CheckpointStep.values()) {
            in.optionalNumber(stepKey(step)).ifPresent(micros -> steps.put(step, micros));
        }
        return new CheckpointCompleted(EventSource.fromProperties(in), in.number(EventProperties.EPOCH),
                in.string(EventProperties.REASONS), in.bool(EventProperties.FULL), in.number(EventProperties.STATE_BYTES),
                in.number(EventProperties.PAUSED_US), steps);
    }
}
