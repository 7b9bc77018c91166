package dev.colo.api.management;

/**
 * One checkpoint as an operator reads it.
 *
 * @param reasons      why it ran, comma-separated
 * @param failedStep   the step it failed at; empty when it completed
 * @param detail       why it failed; empty when it completed
 * @param pausedMicros how long the primary's guests were paused
 * @param endedAt      when it ended, ISO-8601 UTC; empty before the first checkpoint
 */
public record CheckpointSummary(long epoch, String reasons, boolean full, boolean completed, String failedStep,
        String detail, long stateBytes, long pausedMicros, String endedAt) {
    public static final CheckpointSummary NONE = new CheckpointSummary(-1, "", false, false, "", "", 0, 0, "");
}
