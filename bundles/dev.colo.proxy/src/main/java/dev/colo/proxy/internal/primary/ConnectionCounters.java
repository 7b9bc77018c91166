package dev.colo.proxy.internal.primary;

import java.util.concurrent.atomic.LongAdder;

/** The counters of one protected service, shared by its connections; read by its MXBean. */
public final class ConnectionCounters {
    private final LongAdder comparedBytes = new LongAdder();
    private final LongAdder releasedBytes = new LongAdder();
    private final LongAdder miscompares = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder boundsReached = new LongAdder();

    void comparedPrimary(long bytes) {
        comparedBytes.add(bytes);
    }

    void released(long bytes) {
        releasedBytes.add(bytes);
    }

    void miscompare() {
        miscompares.increment();
    }

    void timeout() {
        timeouts.increment();
    }

    void boundReached() {
        boundsReached.increment();
    }

    public long comparedBytes() {
        return comparedBytes.sum();
    }

    public long releasedBytes() {
        return releasedBytes.sum();
    }

    public long miscompares() {
        return miscompares.sum();
    }

    public long timeouts() {
        return timeouts.sum();
    }

    public long boundsReached() {
        return boundsReached.sum();
    }
}
