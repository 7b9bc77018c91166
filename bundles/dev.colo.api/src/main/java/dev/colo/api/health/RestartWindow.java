package dev.colo.api.health;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How often a failed component of a node is restarted: at most {@code limit} times within {@code windowMillis}; a
 * failure beyond that is one restarting cannot mend (the component stays stopped; a primary hands over to its
 * secondary if it can, see {@link dev.colo.api.failover.HandOver}). Pure; not thread-safe.
 */
public final class RestartWindow {
    /** The supervisors' limit: restarts within {@link #WINDOW_MILLIS}. */
    public static final int LIMIT = 3;
    public static final long WINDOW_MILLIS = 10 * 60_000L;

    private final int limit;
    private final long windowMillis;
    private final Deque<Long> restarts = new ArrayDeque<>();

    public RestartWindow(int limit, long windowMillis) {
        this.limit = limit;
        this.windowMillis = windowMillis;
    }

    /** {@link #LIMIT} restarts in {@link #WINDOW_MILLIS}. */
    public static RestartWindow standard() {
        return new RestartWindow(LIMIT, WINDOW_MILLIS);
    }

    /** Whether a restart at {@code nowMillis} is allowed; if so, it is counted. */
    public boolean allow(long nowMillis) {
        while (!restarts.isEmpty() && nowMillis - restarts.peekFirst() >= windowMillis) {
            restarts.removeFirst();
        }
        if (restarts.size() >= limit) {
            return false;
        }
        restarts.addLast(nowMillis);
        return true;
    }

    /** What the limit is, for messages: {@code 3 times within 10 minutes}. */
    public String describe() {
        return limit + " times within " + windowMillis / 60_000 + " minutes";
    }
}
