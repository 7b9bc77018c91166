package dev.colo.api.replication;

/**
 * A disk's data history as generation identifiers, as DRBD keeps them: two disks with the same
 * {@code current} hold the same data; a disk starts a new current, keeping the old one as its {@code base},
 * when it first acknowledges a write its peer lacks.
 *
 * @param current the data the disk holds
 * @param base    the data a peer that stopped receiving its writes holds; 0 if none
 */
public record DiskGenerations(long current, long base) {

    /**
     * Whether this disk holds writes that a disk with the generations {@code peer} lacks: its current is
     * neither the peer's current (the same data) nor the peer's base (the data the peer went on from). When
     * each of two disks holds writes the other lacks, their histories split (both acknowledged writes
     * alone): resynchronising either over the other loses the writes of one.
     */
    public boolean hasWritesLackedBy(DiskGenerations peer) {
        return current != peer.current() && current != peer.base();
    }
}
