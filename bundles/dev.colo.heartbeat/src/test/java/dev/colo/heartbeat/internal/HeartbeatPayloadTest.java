package dev.colo.heartbeat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HeartbeatPayloadTest {
    @Test
    void shouldRoundTrip() {
        HeartbeatPayload payload = new HeartbeatPayload(42, 1_700_000_000_123L);

        assertEquals(payload, HeartbeatPayload.decode(payload.encode()));
    }

    @Test
    void shouldRejectABodyOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> HeartbeatPayload.decode(new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatPayload.decode(new byte[17]));
    }
}
