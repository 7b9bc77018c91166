package dev.colo.api.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.Role;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.api.transport.LinkState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class ColoEventsTest {
    private static final EventSource SOURCE = new EventSource("colo-a", Role.PRIMARY, Instant.ofEpochMilli(1234));

    @Test
    void shouldRoundTripEveryEventThroughAnOsgiEvent() {
        List<ColoEvent> events = List.of(
                new PeerHealthChanged(SOURCE, PeerHealth.SUSPECTED, PeerHealth.DEAD, 1001),
                new LinkStateChanged(SOURCE, LinkState.CONNECTED, LinkState.DISCONNECTED, "peer closed"),
                new PeerRefused(SOURCE, "127.0.0.1:5555", ColoErrorCode.PEER_UNTRUSTED, "no certificate"),
                new ConfigurationRejected(new EventSource(EventSource.UNKNOWN_NODE, null, Instant.EPOCH),
                        "dev.colo.pair", "peer.port", "eighty", ColoErrorCode.CONFIG_INVALID, "not an integer"),
                new ReplicationStageChanged(SOURCE, "disk0", ReplicationStage.RUNNING, ReplicationStage.FAILOVER, 7,
                        "operator"),
                new ReplicationDegraded(SOURCE, "disk0", true, 7, 65536, "secondary unreachable"),
                new ReplicationResync(SOURCE, "disk0", 1 << 20, 4096, 50_000_000, false),
                new ProxyMiscompare(SOURCE, "redis", 12, 4711, "outputs differ at byte 4711"),
                new ProxyListening(SOURCE, "redis", "0.0.0.0:6379", false,
                        "java.net.BindException: Address already in use"),
                new CheckpointCompleted(SOURCE, 9, "MISCOMPARE,PERIODIC", false, 1 << 20, 2100,
                        java.util.Map.of(dev.colo.api.checkpoint.CheckpointStep.PAUSE, 3L,
                                dev.colo.api.checkpoint.CheckpointStep.LOAD, 900L)),
                new CheckpointFailed(SOURCE, 10, "OPERATOR", dev.colo.api.checkpoint.CheckpointStep.TRANSFER,
                        "no received from the secondary within 2000 ms"),
                new SecondaryStale(SOURCE, 11, true, "this node was stalled after checkpoint 11 loaded"),
                new RoleConflict(SOURCE, "colo-b", "SPLIT_BRAIN", "each has writes the other lacks"));

        for (ColoEvent event : events) {
            Event osgi = event.toEvent();
            assertTrue(osgi.getTopic().startsWith(ColoTopics.PREFIX), osgi.getTopic());
            assertEquals(event, ColoEvents.from(osgi).orElseThrow());
        }
    }

    @Test
    void shouldCarryTheCommonPropertiesTyped() {
        Event osgi = new PeerHealthChanged(SOURCE, PeerHealth.ALIVE, PeerHealth.SUSPECTED, 250).toEvent();

        assertEquals("colo-a", osgi.getProperty(EventProperties.NODE));
        assertEquals("primary", osgi.getProperty(EventProperties.ROLE));
        assertEquals(1234L, osgi.getProperty(EventProperties.TIMESTAMP));
        assertEquals("SUSPECTED", osgi.getProperty(EventProperties.CURRENT));
        assertEquals(250L, osgi.getProperty(EventProperties.SILENCE_MS));
    }

    @Test
    void shouldIgnoreForeignTopics() {
        assertTrue(ColoEvents.from(new Event("org/osgi/framework/BundleEvent/STARTED", Map.of())).isEmpty());
    }

    @Test
    void shouldNameAMissingProperty() {
        Event broken = new Event(ColoTopics.PEER_HEALTH_CHANGED, Map.of(EventProperties.NODE, "colo-a"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ColoEvents.from(broken));
        assertTrue(e.getMessage().contains("'" + EventProperties.ROLE + "'"), e.getMessage());
    }

    @Test
    void shouldPostNothingWithoutEventAdmin() {
        ColoEvents.post(null, new PeerHealthChanged(SOURCE, PeerHealth.ALIVE, PeerHealth.DEAD, 1));
    }
}
