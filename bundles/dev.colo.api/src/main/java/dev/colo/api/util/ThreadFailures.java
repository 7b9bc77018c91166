package dev.colo.api.util;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a thread that dies of an uncaught error is reported: logged with its stack (in karaf.log, not only on
 * standard error) and told to every listener (the node's health). The threads of {@link Threads} report here;
 * the node's health also makes it the JVM's default handler.
 */
public final class ThreadFailures {
    /** Told of every thread that died. */
    @FunctionalInterface
    public interface Listener {
        /** @param owned whether an owner of the thread was told too (it reports and recovers its component) */
        void died(Thread thread, Throwable error, boolean owned);
    }

    private static final Logger logger = LoggerFactory.getLogger(ThreadFailures.class);
    private static final List<Listener> listeners = new CopyOnWriteArrayList<>();

    private ThreadFailures() {
    }

    public static void report(Thread thread, Throwable error, boolean owned) {
        try {
            logger.error("Thread {} died: {}", thread.getName(), error.toString(), error);
        } catch (Throwable logging) {
            // out of memory, a logging back end gone: the listeners are told all the same
        }
        for (Listener listener : listeners) {
            try {
                listener.died(thread, error, owned);
            } catch (Throwable failed) {
                // one listener's failure must not hide the death from the others
            }
        }
    }

    /** Adds {@code listener}; closing the result removes it. */
    public static AutoCloseable listen(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** A thread's group: its name without the counter {@link Threads} appends ({@code colo-guest-kv-io}). */
    public static String groupOf(Thread thread) {
        return thread.getName().replaceFirst("-?\\d+$", "");
    }
}
