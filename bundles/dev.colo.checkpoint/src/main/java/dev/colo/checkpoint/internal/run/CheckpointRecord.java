package dev.colo.checkpoint.internal.run;

import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointStep;
import java.util.Map;
import java.util.Set;

/**
 * What one checkpoint did: its epoch, why it ran, the time of every step it reached, how much state it
 * moved, and how long the primary's guests were paused; a failed one names the step and the reason.
 *
 * @param pausedNanos how long the primary's guests were paused (the client-visible pause)
 */
public record CheckpointRecord(long epoch, Set<CheckpointReason> reasons, boolean full, boolean completed,
        CheckpointStep failedStep, String detail, Map<CheckpointStep, Long> stepNanos, long stateBytes,
        long pausedNanos) {

    public CheckpointRecord {
        reasons = Set.copyOf(reasons);
        stepNanos = Map.copyOf(stepNanos);
    }

    public long stepMicros(CheckpointStep step) {
        return stepNanos.getOrDefault(step, 0L) / 1000;
    }
}
