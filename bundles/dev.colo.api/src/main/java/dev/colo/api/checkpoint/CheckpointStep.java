package dev.colo.api.checkpoint;

/** The steps of a checkpoint as the primary times them (DESIGN §5). */
public enum CheckpointStep {
    /** begin sent until the secondary's guests are paused (ready). */
    REQUEST,
    /** The primary's guests pausing. */
    PAUSE,
    /** The primary's guests' state captured. */
    CAPTURE,
    /** The state sent until the secondary received all of it. */
    TRANSFER,
    /** Held output released to clients (participants told). */
    RELEASE,
    /** The secondary loading the state, checking replication, emptying A and H, resetting its proxy. */
    LOAD,
    /** The primary's guests resumed. */
    RESUME
}
