package dev.colo.api.failover;

/**
 * The failover controller's state (DESIGN §8), changed only by compare-and-set: a request while one is
 * REQUESTED or ACTIVE is refused as already active.
 */
public enum FailoverState {
    /** No failover under way (the node serves in its configured role). */
    NONE,
    /** Asked for; the fencing policy is consulted. */
    REQUESTED,
    /** The old primary is fenced (or the policy is none): disks commit, the node becomes primary. */
    ACTIVE,
    /** This node is the primary now. */
    COMPLETED,
    /** It did not happen (fencing refused, a disk could not commit); the node stays what it was. */
    FAILED
}
