package dev.colo.replication.internal.generation;

import java.security.SecureRandom;

/**
 * A disk's history as DRBD's generation identifiers tell it: {@code current} names the data the disk holds
 * now; {@code base} the data a peer that stopped receiving our writes holds (the dirty bitmap counts from
 * there). Two disks with the same current hold the same data; a peer whose current is our base lacks exactly
 * our dirty blocks; any other peer shares no known base and needs a full copy. 0 is "none".
 *
 * <p>{@code shared}: the peer knows our current — it holds the same data (a secondary taking our writes, a
 * primary whose secondary is in sync, a secondary just promoted) or counts its copy from it. The first write
 * the peer lacks must then start a new generation ({@link #diverged}), so that our current tells our data from
 * the peer's; later writes need none, until the disks are in sync again ({@link #sharing}).
 */
public record Generations(long current, long base, boolean shared) {
    public static final long NONE = 0;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A fresh disk: its own history, no known base. Shared when both nodes were given the same initial id (the
     * peer starts with it too); a random id is known to no peer.
     */
    public static Generations fresh(long initial) {
        return initial != NONE ? new Generations(initial, NONE, true) : unrelated();
    }

    /** A history no peer knows (a new id, no base): a peer resynchronising this disk copies every block. */
    public static Generations unrelated() {
        return new Generations(newId(), NONE, false);
    }

    /**
     * The disk is about to acknowledge a write its peer lacks: if the peer knows our current, a new generation
     * begins and the peer's becomes the base; otherwise this already happened.
     */
    public Generations diverged() {
        return shared ? new Generations(newId(), current, false) : this;
    }

    /** The disk holds the data of generation {@code current}, which the peer knows: shared. */
    public Generations sharing(long current) {
        return new Generations(current, base, true);
    }

    /**
     * Every block is marked dirty for a full copy to a peer at generation {@code peer}: it lacks at most those,
     * whatever it holds, so its generation becomes the base (a copy cut short goes on incrementally).
     */
    public Generations basedOn(long peer) {
        return new Generations(current, peer, false);
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
        return "current " + Long.toHexString(current) + ", base " + Long.toHexString(base)
                + (shared ? ", shared" : "");
    }

    /** How much a resynchronisation copies. */
    public enum SyncKind {
        /** Same generation: only the dirty blocks are copied (a failover commit's, if any). */
        IN_SYNC,
        /** The peer lacks exactly the dirty blocks. */
        INCREMENTAL,
        /** No common base: every block. */
        FULL
    }
}
