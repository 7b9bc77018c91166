package dev.colo.api.checkpoint;

/** Why a checkpoint was asked for; recorded with the checkpoint. */
public enum CheckpointReason {
    /** {@code checkpoint.interval.ms} passed without one. */
    PERIODIC,
    /** The proxy saw the guests' outputs differ. */
    MISCOMPARE,
    /** The proxy held output longer than the compare timeout. */
    COMPARE_TIMEOUT,
    /** A proxy queue reached its bound. */
    QUEUE_BOUND,
    /** An operator asked (JMX, shell). */
    OPERATOR,
    /** Protection (re)starts: a full checkpoint gives the secondary the whole state (first, or after a failure). */
    PROTECT
}
