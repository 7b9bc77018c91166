package dev.colo.api.management;

/** Checkpoints run by this node, by outcome and by reason. */
public record CheckpointCounts(long completed, long failed, long periodic, long miscompare, long compareTimeout,
        long queueBound, long operator, long protect) {
}
