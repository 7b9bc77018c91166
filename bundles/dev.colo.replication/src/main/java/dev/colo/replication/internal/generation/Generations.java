package dev.colo.replication.internal.generation;

import java.security.SecureRandom;

/**
 * A disk's history as DRBD's generation identifiers tell it: {@code current} names the data the disk holds
 * now; {@code base} the data a peer that stopped receiving our writes holds (the dirty bitmap counts from
 * there). Two disks with the same current hold the same data; a peer whose current is our base lacks exactly
 * our dirty blocks; any other peer shares no known base and needs a full copy. 0 is "none".
 */
public record Generations(long current, long base) {
    public static final long NONE = 0;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fresh disk: its own history, no known base. */
    public static Generations fresh(long initial) {
        return new Generations(initial != NONE ? initial : newId(), NONE);
    }

    /** This disk starts a new history (its writes no longer reach the peer): the old one becomes the base. */
    public Generations rotated() {
        return new Generations(newId(), current);
    }

    /** What a resynchronisation towards a peer whose current generation is {@code peer} must copy. */
    public SyncKind syncWith(long peer) {
        if (peer != NONE && peer == current) {
            return SyncKind.IN_SYNC;
        }
        return peer != NONE && peer == base ? SyncKind.INCREMENTAL : SyncKind.FULL;
    }

    public static long newId() {
        long id;
        do {
            id = RANDOM.nextLong();
        } while (id == NONE);
        return id;
    }

    @Override
    public String toString() {
        return "current " + Long.toHexString(current) + ", base " + Long.toHexString(base);
    }

    /** How much a resynchronisation copies. */
    public enum SyncKind {
        /** Same data: nothing beyond dirty blocks (normally none). */
        IN_SYNC,
        /** The peer lacks exactly the dirty blocks. */
        INCREMENTAL,
        /** No common base: every block. */
        FULL
    }
}
