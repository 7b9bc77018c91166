package dev.colo.replication.internal.stage;

/**
 * Where the I/O of one disk goes in one (stage, role): the guest's reads and writes, and the writes the
 * primary forwards to this node. {@link IoPolicy} is the only place that decides it.
 */
public record IoRoute(GuestRead read, GuestWrite write, ReplicaWrite replica) {

    /** Where a read of the local guest is served from. */
    public enum GuestRead {
        /** The local disk (the primary's disk, or S). */
        LOCAL,
        /** Secondary view: A if allocated there, else H, else S. */
        LAYERED,
        /** Refused: the disk is not usable in this stage. */
        REFUSED
    }

    /** Where a write of the local guest goes. */
    public enum GuestWrite {
        /** The local disk, with the blocks marked in the dirty bitmap first (no secondary to send them to). */
        LOCAL_RECORDED,
        /** The local disk and the secondary; recorded as dirty instead if the secondary fails. */
        REPLICATED,
        /** Secondary: the active overlay A. */
        ACTIVE_OVERLAY,
        /** Refused: the disk is not usable in this stage. */
        REFUSED
    }

    /** What happens to a write the primary forwards to this node. */
    public enum ReplicaWrite {
        /** Into S, after copying the old content of each block into H once per epoch. */
        COPY_BEFORE_WRITE,
        /** Refused: this node does not accept the primary's writes in this stage. */
        REFUSED
    }
}
