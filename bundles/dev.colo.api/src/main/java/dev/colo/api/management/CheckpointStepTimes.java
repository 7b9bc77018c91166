package dev.colo.api.management;

/** The duration of each checkpoint step (DESIGN §5), µs, and how long the primary's guests were paused. */
public record CheckpointStepTimes(long requestMicros, long pauseMicros, long captureMicros, long transferMicros,
        long releaseMicros, long loadMicros, long resumeMicros, long pausedMicros) {
    public static final CheckpointStepTimes NONE = new CheckpointStepTimes(0, 0, 0, 0, 0, 0, 0, 0);
}
