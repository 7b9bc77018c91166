package dev.colo.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void shouldDoubleFromMinimumUpToMaximumWithoutJitter() {
        Backoff backoff = new Backoff(100, 1000, () -> 0.0);
        long[] delays = new long[6];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = backoff.nextDelayMs();
        }
        assertEquals("[100, 200, 400, 800, 1000, 1000]", java.util.Arrays.toString(delays));
    }

    @Test
    void shouldStretchByAtMostAQuarterAndStayWithinTheMaximum() {
        Backoff backoff = new Backoff(100, 1000, () -> 0.999);
        assertEquals(124, backoff.nextDelayMs());
        assertEquals(249, backoff.nextDelayMs());
        assertEquals(499, backoff.nextDelayMs());
        assertEquals(999, backoff.nextDelayMs());
        assertEquals(1000, backoff.nextDelayMs());
    }

    @Test
    void shouldStartAgainFromTheMinimumAfterReset() {
        Backoff backoff = new Backoff(50, 400, () -> 0.0);
        backoff.nextDelayMs();
        backoff.nextDelayMs();
        backoff.reset();
        assertEquals(50, backoff.nextDelayMs());
    }

    @Test
    void shouldNotOverflowAfterManyFailures() {
        Backoff backoff = new Backoff(1, Long.MAX_VALUE / 4, () -> 0.5);
        for (int i = 0; i < 200; i++) {
            long delay = backoff.nextDelayMs();
            assertEquals(true, delay >= 1 && delay <= Long.MAX_VALUE / 4, "delay " + delay);
        }
    }

    @Test
    void shouldRefuseMaximumBelowMinimum() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(500, 100, () -> 0.0));
    }
}
