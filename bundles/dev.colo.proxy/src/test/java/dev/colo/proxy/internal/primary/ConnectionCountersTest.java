package dev.colo.proxy.internal.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConnectionCountersTest {

    @Test
    void shouldGiveReleaseWaitPercentilesAsPowerOfTwoUpperBounds() {
        ConnectionCounters counters = new ConnectionCounters();
        assertEquals(0, counters.releaseWaitMicros(50), "nothing released yet");
        for (int i = 0; i < 98; i++) {
            counters.released(10, 3_000); // 3 µs: below 4
        }
        counters.released(10, 900_000); // 900 µs: below 1024
        counters.released(10, 900_000);
        assertEquals(4, counters.releaseWaitMicros(50));
        assertEquals(4, counters.releaseWaitMicros(98));
        assertEquals(1024, counters.releaseWaitMicros(99));
        assertEquals(1000, counters.releasedBytes());
    }
}
