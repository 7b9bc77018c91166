package dev.colo.api.management;

/** Management view of this node's failover controller, {@value #OBJECT_NAME}. */
public interface FailoverMXBean {
    String OBJECT_NAME = "dev.colo:type=Failover";

    /** NONE, REQUESTED, ACTIVE, COMPLETED or FAILED. */
    String getState();

    /** Whether this node fails over by itself when the primary is DEAD (config {@code automatic}). */
    boolean isAutomatic();

    /** {@code none} (risky: documented) or {@code command}. */
    String getFencing();

    /** The last failover of this node; {@link FailoverSummary#NONE} before the first. */
    FailoverSummary getLastFailover();

    /** The running (or last) failover's step and its disks' commit: percent, ETA, bytes left. */
    FailoverProgress getProgress();

    /**
     * Whether this node holds the primary's state: always on the primary; on a secondary, once it loaded a
     * checkpoint since it started and since the last one failed (only then can it take over without losing what
     * clients were acknowledged).
     */
    boolean isHoldsPrimaryState();

    /**
     * Why this secondary does not hold the primary's state (its components stopped, the link was lost and came
     * back, it stalled, the primary ended protection, no checkpoint loaded since it started), with when; empty
     * while it holds it, and on a primary. A stale secondary never takes over by itself.
     */
    String getStaleReason();

    /**
     * Whether this node and its peer are both primaries and each has acknowledged writes the other lacks: this
     * node stopped acknowledging and waits for an operator's {@link #resolveSplitBrain(String)}.
     */
    boolean isSplitBrain();

    /** What this node knows of the last meeting of two primaries and how it was settled; empty if none. */
    String getLastRoleConflict();

    /**
     * Makes this secondary the primary now (after the fencing policy); returns at once with what was done:
     * {@code requested}, or why not (already active, not a secondary, or it does not hold the primary's state).
     * The outcome shows in LastFailover.
     */
    String failover();

    /**
     * {@link #failover()} even without the primary's state, for a primary that is gone for good: what the primary
     * acknowledged since this node's last loaded checkpoint is lost. Returns as {@link #failover()} does.
     */
    String forceFailover();

    /**
     * A planned switchover of a live, protected pair, asked of the primary: it stops acknowledging (its
     * guests stay paused after a final checkpoint), the secondary confirms it holds that checkpoint, the primary
     * demotes itself and the secondary promotes (without fencing: the old primary said it stepped down). Nothing
     * acknowledged is lost. Returns when the primary's part is done: {@code switched over to NODE at epoch N}, or
     * why not (not protected, a failover under way, the secondary refused); the secondary's promotion shows in
     * LastFailover.
     */
    String switchover();

    /**
     * Ends a split brain on this node, which stopped at it, keeping {@code keep}. Asked of the node to keep, it
     * becomes the primary and re-protects; its peer becomes its secondary and is resynchronised from it. Asked of
     * the other node (the one to discard), it gives up its own unprotected writes and releases its disks to be
     * resynchronised from {@code keep} once that one is the primary (should {@code keep} have stopped at the split
     * brain too, it is asked next). Returns what was done, or why not (no split brain here, a node that is neither
     * this one nor its peer).
     */
    String resolveSplitBrain(String keep);

    /** Where re-protection stands: the phase, the disks' resynchronisation (percent, ETA) and what is waited for. */
    ReprotectionProgress getReprotection();

    /**
     * Re-protects the pair from this primary with the secondary at the configured peer address (a returning node
     * or a new one that took its name): asks the disks to reconnect now, which resynchronises only the blocks the
     * secondary lacks, after which a full checkpoint gives it the guest's whole state. Returns at once with what
     * was done, or why not (not the primary, a failover under way, already protected); the progress shows in
     * Reprotection.
     */
    String reprotect();
}
