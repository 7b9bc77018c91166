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
