package dev.colo.replication.internal.blocks;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks over block numbers: a request holds the stripes of every block it touches, so a
 * copy-before-write and a read of the same block cannot interleave. Stripes are taken in ascending order,
 * each once, so two requests cannot deadlock.
 */
public final class BlockLocks {
    private static final int STRIPES = 1024;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public BlockLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Locks the blocks of {@code blockBytes} that the byte range touches; close the result to unlock. */
    public Held lockBytes(long offset, long length, int blockBytes) {
        long last = length == 0 ? offset : offset + length - 1;
        return lock(offset / blockBytes, last / blockBytes);
    }

    /** Locks the stripes of blocks {@code first..last}; close the result to unlock. */
    public Held lock(long first, long last) {
        if (last - first + 1 >= STRIPES) {
            return lockStripes(0, STRIPES, 0);
        }
        int from = stripe(first);
        int count = (int) (last - first + 1);
        int wrapped = Math.max(0, from + count - STRIPES);
        // a run's stripes are consecutive modulo STRIPES: the wrapped part [0, wrapped) comes first in index order
        return lockStripes(from, count - wrapped, wrapped);
    }

    /**
     * Locks the stripes of blocks {@code first..last} if none is held by another thread right now, or
     * nothing: for a caller that holds other stripes and must not wait while holding them.
     *
     * @return the held stripes, or null when one was busy (then none is held)
     */
    public Held tryLock(long first, long last) {
        if (last - first + 1 >= STRIPES) {
            return tryLockStripes(0, STRIPES, 0);
        }
        int from = stripe(first);
        int count = (int) (last - first + 1);
        int wrapped = Math.max(0, from + count - STRIPES);
        return tryLockStripes(from, count - wrapped, wrapped);
    }

    private Held tryLockStripes(int from, int count, int low) {
        int lowHeld = 0;
        int highHeld = 0;
        boolean all = true;
        while (all && lowHeld < low) {
            all = stripes[lowHeld].tryLock();
            lowHeld += all ? 1 : 0;
        }
        while (all && highHeld < count) {
            all = stripes[from + highHeld].tryLock();
            highHeld += all ? 1 : 0;
        }
        Held held = unlocker(from, highHeld, lowHeld);
        if (!all) {
            held.close();
            return null;
        }
        return held;
    }

    /** Locks [0, low) then [from, from + count), ascending. */
    private Held lockStripes(int from, int count, int low) {
        for (int i = 0; i < low; i++) {
            stripes[i].lock();
        }
        for (int i = from; i < from + count; i++) {
            stripes[i].lock();
        }
        return unlocker(from, count, low);
    }

    /** Unlocks [from, from + count) then [0, low), descending. */
    private Held unlocker(int from, int count, int low) {
        return () -> {
            for (int i = from + count - 1; i >= from; i--) {
                stripes[i].unlock();
            }
            for (int i = low - 1; i >= 0; i--) {
                stripes[i].unlock();
            }
        };
    }

    private static int stripe(long block) {
        return (int) Math.floorMod(block, (long) STRIPES);
    }

    /** Stripes held by one request. */
    @FunctionalInterface
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
