package dev.colo.guest.kv.internal.resp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes every connection of a guest may hold of commands not yet complete, together (Redis bounds each
 * client's query buffer; a bound on their sum is what keeps many slow clients from taking the heap).
 */
public final class QueryBudget {
    private final long limitBytes;
    private final AtomicLong heldBytes = new AtomicLong();

    public QueryBudget(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }

    public long heldBytes() {
        return heldBytes.get();
    }

    /** Takes {@code bytes} more, or nothing and false if that would pass the limit. */
    boolean take(long bytes) {
        while (true) {
            long held = heldBytes.get();
            if (held + bytes > limitBytes) {
                return false;
            }
            if (heldBytes.compareAndSet(held, held + bytes)) {
                return true;
            }
        }
    }

    void give(long bytes) {
        heldBytes.addAndGet(-bytes);
    }
}
