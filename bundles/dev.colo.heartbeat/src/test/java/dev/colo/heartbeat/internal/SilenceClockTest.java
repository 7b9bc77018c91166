package dev.colo.heartbeat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SilenceClockTest {
    private static final long MS = 1_000_000;
    private final SilenceClock clock = new SilenceClock(200);

    @Test
    void withoutAStallTheSilenceIsTheTimeSinceThePeerWasHeard() {
        for (long t = 0; t <= 1500; t += 50) {
            assertEquals(0, clock.check(t * MS));
        }
        assertEquals(1500, clock.silenceMillis(1500 * MS, 0));
        assertEquals(-1, clock.silenceMillis(1500 * MS, Long.MIN_VALUE), "never heard");
    }

    @Test
    void aStallOfThisNodeRestartsThePeersSilenceFromItsEnd() {
        clock.check(0);
        clock.check(50 * MS);
        assertEquals(2050, clock.check(2100 * MS), "frozen from 50 to 2100 ms");
        assertEquals(0, clock.silenceMillis(2100 * MS, 40 * MS), "the peer's frames wait unread: not its silence");
        assertEquals(0, clock.check(2101 * MS), "the catch-up checks that follow are no stall");
        assertEquals(1, clock.silenceMillis(2101 * MS, 40 * MS));
        assertEquals(1000, clock.silenceMillis(3100 * MS, 40 * MS), "silent a whole timeout after the stall: it is");
        assertEquals(10, clock.silenceMillis(3100 * MS, 3090 * MS), "heard after the stall: counted from then");
    }

    @Test
    void theEndOfTheLastStallIsKnown() {
        clock.check(0);
        clock.check(50 * MS);
        assertEquals(Long.MIN_VALUE, clock.lastStallEndedNanos(), "no stall yet");

        clock.check(2100 * MS);
        clock.check(2150 * MS);
        assertEquals(2100 * MS, clock.lastStallEndedNanos(), "the check after the stall ends it");

        clock.check(3000 * MS);
        assertEquals(3000 * MS, clock.lastStallEndedNanos(), "the last stall");
    }
}
