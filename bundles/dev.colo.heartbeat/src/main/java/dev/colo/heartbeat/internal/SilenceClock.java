package dev.colo.heartbeat.internal;

import java.util.concurrent.TimeUnit;

/**
 * The peer's silence as this node can judge it: counted only while this node runs. A health check that comes much
 * later than the one before means this node itself was stalled (a long GC pause, a frozen process, a suspended VM);
 * the peer's frames waited unread in the sockets meanwhile, so its silence counts again from the end of the stall.
 * Otherwise a thawed secondary would find its primary silent for the whole stall and take over beside it. Pure;
 * used by the one thread that checks health, except {@link #lastStallEndedNanos()}, which any thread may read.
 */
final class SilenceClock {
    private static final long NEVER = Long.MIN_VALUE;
    private final long stallNanos;
    private long previousCheckNanos = NEVER;
    /** Volatile: the monitor reports it to other threads. */
    private volatile long resumedNanos = NEVER;

    /** @param stallMillis a gap between two checks longer than this is a stall of this node */
    SilenceClock(long stallMillis) {
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
    }

    /** A health check at {@code nowNanos}: returns how long this node was stalled before it, 0 if it was not. */
    long check(long nowNanos) {
        long gap = previousCheckNanos == NEVER ? 0 : nowNanos - previousCheckNanos;
        previousCheckNanos = nowNanos;
        if (gap > stallNanos) {
            resumedNanos = nowNanos;
            return TimeUnit.NANOSECONDS.toMillis(gap);
        }
        return 0;
    }

    /** When the last stall of this node ended (the check that saw it), {@link Long#MIN_VALUE} if there was none. */
    long lastStallEndedNanos() {
        return resumedNanos;
    }

    /** Milliseconds the peer has been silent while this node ran; -1 if it was never heard. */
    long silenceMillis(long nowNanos, long lastHeardNanos) {
        if (lastHeardNanos == NEVER) {
            return -1;
        }
        long from = resumedNanos != NEVER && resumedNanos - lastHeardNanos > 0 ? resumedNanos : lastHeardNanos;
        return TimeUnit.NANOSECONDS.toMillis(nowNanos - from);
    }
}
