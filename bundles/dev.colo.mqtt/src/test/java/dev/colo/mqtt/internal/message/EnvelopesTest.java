package dev.colo.mqtt.internal.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopesTest {
    private final Envelopes envelopes = new Envelopes("colo/v1", "colo-b", 4, () -> "secondary",
            Clock.fixed(Instant.parse("2026-11-26T17:30:00.123Z"), ZoneOffset.UTC));

    @Test
    void everyPayloadHasTheOneEnvelopeWithASequenceCountingTheSession() throws Exception {
        Outbound status = envelopes.status(Envelopes.ONLINE);
        Outbound completed = envelopes.of(Publication.event("event/failover/completed", "failover.completed",
                Map.of("elapsed.ms", 412L)), Map.of("role", "primary", "epoch", 9L));

        assertEquals("colo/v1/colo-b/status", status.topic());
        assertTrue(status.retained());
        assertEquals(Map.of("schema", "colo.mqtt.v1", "type", "status", "node", "colo-b", "role", "secondary",
                "session", 4, "seq", 1, "time", "2026-11-26T17:30:00.123Z", "data", Map.of("status", "online")),
                JSON.std.mapFrom(status.payload()));
        assertEquals("colo/v1/colo-b/event/failover/completed", completed.topic());
        assertFalse(completed.retained());
        Map<String, Object> envelope = JSON.std.mapFrom(completed.payload());
        assertEquals(2, envelope.get("seq"));
        assertEquals(9, envelope.get("epoch"));
        assertEquals("primary", envelope.get("role"), "the role the event was posted with");
        assertEquals(Map.of("elapsed.ms", 412), envelope.get("data"));
        assertEquals(2, envelopes.lastSequence());
    }

    @Test
    void aRemovedSnapshotIsAnEmptyRetainedPayload() {
        Outbound removed = envelopes.removed("state/replication/disk0");
        assertEquals("colo/v1/colo-b/state/replication/disk0", removed.topic());
        assertTrue(removed.retained());
        assertArrayEquals(new byte[0], removed.payload());
    }
}
