package dev.colo.api.util;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories that name their threads, so that thread dumps show whose threads they are. */
public final class Threads {
    private Threads() {
    }

    /** Daemon threads named {@code prefix1}, {@code prefix2}, … (e.g. {@code colo-nbd-disk0-io-}). */
    public static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
