package dev.colo.transport.internal;

import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: doubling from the minimum up to the maximum, each stretched by up to a quarter at
 * random so that both nodes do not redial in lockstep. Thread-safe.
 */
public final class Backoff {
    private static final double MAX_JITTER = 0.25;

    private final long minMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private int failures;

    /** @param random source of jitter, values in [0, 1) */
    public Backoff(long minMs, long maxMs, DoubleSupplier random) {
        if (minMs < 0 || maxMs < minMs) {
            throw new IllegalArgumentException("need 0 <= minMs <= maxMs, got " + minMs + " and " + maxMs);
        }
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.random = random;
    }

    /** The delay before the next attempt, in milliseconds, within [min, max]; each call doubles the base. */
    public synchronized long nextDelayMs() {
        long base = minMs;
        for (int i = 0; i < failures && base < maxMs; i++) {
            base *= 2;
        }
        failures++;
        long jittered = base + (long) (random.getAsDouble() * MAX_JITTER * base);
        return Math.max(minMs, Math.min(maxMs, jittered));
    }

    /** After a successful connection: start again from the minimum. */
    public synchronized void reset() {
        failures = 0;
    }
}
