package dev.colo.proxy.internal.primary;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one protected service, shared by its connections; read by its MXBean. */
public final class ConnectionCounters {
    private final LongAdder comparedBytes = new LongAdder();
    private final LongAdder releasedBytes = new LongAdder();
    private final LongAdder miscompares = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder boundsReached = new LongAdder();
    private final LongAdder datagramsDropped = new LongAdder();
    /** Releases by how long their oldest byte waited: bucket i counts waits below 2^i µs. */
    private final AtomicLongArray releaseWaits = new AtomicLongArray(40);

    void comparedPrimary(long bytes) {
        comparedBytes.add(bytes);
    }

    void released(long bytes, long waitedNanos) {
        releasedBytes.add(bytes);
        long micros = waitedNanos / 1000;
        int bucket = Math.min(releaseWaits.length() - 1, 64 - Long.numberOfLeadingZeros(micros));
        releaseWaits.incrementAndGet(bucket);
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

    /** @return the number dropped so far, this one included */
    public long datagramDropped() {
        datagramsDropped.increment();
        return datagramsDropped.sum();
    }

    public long datagramsDropped() {
        return datagramsDropped.sum();
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

    /**
     * The wait of released output at {@code percentile} (0-100), in µs: the upper bound of its power-of-two
     * bucket; 0 before anything was released.
     */
    public long releaseWaitMicros(double percentile) {
        long total = 0;
        for (int i = 0; i < releaseWaits.length(); i++) {
            total += releaseWaits.get(i);
        }
        long rank = (long) Math.ceil(total * percentile / 100);
        long seen = 0;
        for (int i = 0; i < releaseWaits.length(); i++) {
            seen += releaseWaits.get(i);
            if (seen >= rank && seen > 0) {
                return i == 0 ? 0 : 1L << i;
            }
        }
        return 0;
    }
}
