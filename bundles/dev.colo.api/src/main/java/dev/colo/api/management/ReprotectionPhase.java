package dev.colo.api.management;

/** Where re-protection of a pair stands, as the primary sees it (in the order it goes through them). */
public enum ReprotectionPhase {
    /** This node is not the primary: re-protection is driven from the primary. */
    NOT_PRIMARY,
    /** A failover is under way on this node: re-protection waits for it to end. */
    FAILOVER_UNDER_WAY,
    /** No live secondary: start the returning (or new) node as secondary at the configured peer address. */
    WAITING_FOR_SECONDARY,
    /** The secondary is alive and the disks copy the blocks it lacks. */
    RESYNCHRONISING,
    /** The disks are in sync; the full checkpoint that gives the secondary the guest's whole state is due. */
    CHECKPOINTING,
    /** A full checkpoint completed: the pair is protected. */
    PROTECTED
}
