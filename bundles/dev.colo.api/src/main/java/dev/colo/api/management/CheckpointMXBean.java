package dev.colo.api.management;

/** Management view of the checkpoint coordinator of this node, {@value #OBJECT_NAME}. */
public interface CheckpointMXBean {
    String OBJECT_NAME = "dev.colo:type=Checkpoint";

    /** {@code primary} (runs checkpoints) or {@code secondary} (takes part in them). */
    String getRole();

    /** Periodic checkpoints this long after the previous one. */
    long getIntervalMillis();

    /** Requests closer than this to the previous checkpoint wait and coalesce. */
    long getMinGapMillis();

    /** The epoch of the last completed checkpoint (on a secondary: the last one loaded); -1 before the first. */
    long getEpoch();

    /**
     * Whether the pair is protected: a primary whose last checkpoint succeeded (the proxy compares); false
     * before the first full checkpoint, after a failed one, or without a live secondary or a guest.
     */
    boolean isProtecting();

    /** Checkpoints by outcome and by reason (a checkpoint serving several reasons counts for each). */
    CheckpointCounts getCounts();

    /** The last checkpoint, completed or failed. */
    CheckpointSummary getLastCheckpoint();

    /** The step durations of the last completed checkpoint. */
    CheckpointStepTimes getLastStepMicros();

    /** The 99th percentile of each step's duration over the last 1000 completed checkpoints. */
    CheckpointStepTimes getP99StepMicros();

    /** Asks for a checkpoint now (reason OPERATOR); returns at once, the outcome shows in LastCheckpoint. */
    String checkpointNow();
}
