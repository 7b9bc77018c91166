package dev.colo.guest.kv.internal.component;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How often a failed guest is restarted: at most {@code limit} times within {@code windowMillis}; a failure
 * beyond that leaves it stopped (something restarting cannot mend: the operator is needed). Pure.
 */
final class RestartWindow {
    static final int LIMIT = 3;
    static final long WINDOW_MILLIS = 10 * 60_000L;

    private final int limit;
    private final long windowMillis;
    private final Deque<Long> restarts = new ArrayDeque<>();

    RestartWindow(int limit, long windowMillis) {
        this.limit = limit;
        this.windowMillis = windowMillis;
    }

    /** Whether a restart at {@code nowMillis} is allowed; if so, it is counted. */
    boolean allow(long nowMillis) {
        while (!restarts.isEmpty() && nowMillis - restarts.peekFirst() >= windowMillis) {
            restarts.removeFirst();
        }
        if (restarts.size() >= limit) {
            return false;
        }
        restarts.addLast(nowMillis);
        return true;
    }
}
