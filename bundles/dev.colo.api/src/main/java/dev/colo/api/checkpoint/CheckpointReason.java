package dev.colo.api.checkpoint;

/** Why a checkpoint was asked for; recorded with the checkpoint. Each has a fixed bit for the wire. */
public enum CheckpointReason {
    /** {@code checkpoint.interval.ms} passed without one. */
    PERIODIC(0),
    /** The proxy saw the guests' outputs differ. */
    MISCOMPARE(1),
    /** The proxy held output longer than the compare timeout. */
    COMPARE_TIMEOUT(2),
    /** A proxy queue reached its bound. */
    QUEUE_BOUND(3),
    /** An operator asked (JMX, shell). */
    OPERATOR(4),
    /** Protection (re)starts: a full checkpoint gives the secondary the whole state (first, or after a failure). */
    PROTECT(5),
    /**
     * A planned switchover: the last checkpoint of this primary. Its guests stay paused after it (nothing more is
     * acknowledged) until the node demotes itself, or {@link CheckpointRequests#resumeAfterHandOver} gives up.
     */
    SWITCHOVER(6);

    private final int bit;

    CheckpointReason(int bit) {
        this.bit = bit;
    }

    /** Its bit in a reasons mask on the wire (never the declaration order). */
    public int bit() {
        return bit;
    }
}
