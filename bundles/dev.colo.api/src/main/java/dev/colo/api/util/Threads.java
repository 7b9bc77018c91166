package dev.colo.api.util;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories that name their threads, so that thread dumps show whose threads they are, and report a
 * thread that dies of an uncaught error to {@link ThreadFailures} (the node's health sees it).
 */
public final class Threads {
    private Threads() {
    }

    /** Daemon threads named {@code prefix1}, {@code prefix2}, … (e.g. {@code colo-nbd-disk0-io-}). */
    public static ThreadFactory named(String prefix) {
        return named(prefix, null);
    }

    /**
     * As {@link #named(String)}, and a thread that dies of an uncaught error is also told to {@code owner}, which
     * reports its component's failure and recovers it.
     */
    public static ThreadFactory named(String prefix, Thread.UncaughtExceptionHandler owner) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((dead, error) -> {
                ThreadFailures.report(dead, error, owner != null);
                if (owner != null) {
                    owner.uncaughtException(dead, error);
                }
            });
            return thread;
        };
    }
}
