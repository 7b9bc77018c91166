package dev.colo.guest.kv.internal.server;

/**
 * Tells a hung guest from a busy one: hung when commands were running at every look for the whole timeout and
 * none completed. A guest with nothing to do, or one that completes anything, is never hung. Looks come from one
 * thread; pure, so that it is tested without clocks or sockets.
 */
final class Watchdog {
    private final long timeoutNanos;
    private long lastCompleted = -1;
    private long progressAtNanos;

    Watchdog(long timeoutMillis) {
        this.timeoutNanos = timeoutMillis * 1_000_000;
    }

    /** Whether the guest is hung, looking at its progress at {@code nowNanos}. */
    boolean hung(long nowNanos, PauseGate.Progress progress) {
        if (progress.running() == 0 || progress.completed() != lastCompleted) {
            lastCompleted = progress.completed();
            progressAtNanos = nowNanos;
            return false;
        }
        return nowNanos - progressAtNanos >= timeoutNanos;
    }

    /** How long the guest has been without progress, in milliseconds. */
    long stuckMillis(long nowNanos) {
        return (nowNanos - progressAtNanos) / 1_000_000;
    }
}
