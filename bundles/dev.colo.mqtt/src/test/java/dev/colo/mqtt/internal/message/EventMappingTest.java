package dev.colo.mqtt.internal.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colo.api.event.ColoTopics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventMappingTest {
    private static List<String> paths(String topic, Map<String, ?> properties) {
        return EventMapping.map(topic, properties).stream().map(p -> p.kind() + " " + p.path()).toList();
    }

    @Test
    void aFailoverIsStartedThenCompletedAndTheFailoverStateIsRetained() {
        assertEquals(List.of("EVENT event/failover/started", "STATE state/failover"),
                paths(ColoTopics.FAILOVER_CHANGED, Map.of("previous", "NONE", "current", "REQUESTED")));
        assertEquals(List.of("EVENT event/failover/completed", "STATE state/failover"),
                paths(ColoTopics.FAILOVER_CHANGED, Map.of("previous", "ACTIVE", "current", "COMPLETED")));
        assertEquals(List.of("EVENT event/failover/failed", "STATE state/failover"),
                paths(ColoTopics.FAILOVER_CHANGED, Map.of("current", "FAILED")));
    }

    @Test
    void peerHealthIsAnEventNamedByTheHealthAndARetainedSnapshot() {
        assertEquals(List.of("EVENT event/peer/dead", "STATE state/peer"),
                paths(ColoTopics.PEER_HEALTH_CHANGED, Map.of("current", "DEAD")));
        assertEquals(List.of("EVENT event/peer/suspected", "STATE state/peer"),
                paths(ColoTopics.PEER_HEALTH_CHANGED, Map.of("current", "SUSPECTED")));
    }

    @Test
    void replicationHasItsStatePerDiskAndNamesErrorsAndResyncs() {
        assertEquals(List.of("EVENT event/replication/stage-changed", "STATE state/replication/disk0"),
                paths(ColoTopics.REPLICATION_STAGE_CHANGED, Map.of("disk", "disk0", "current", "RUNNING")));
        assertEquals(List.of("EVENT event/replication/error"),
                paths(ColoTopics.REPLICATION_DEGRADED, Map.of("disk", "disk0", "degraded", true)));
        assertEquals(List.of("EVENT event/replication/recovered"),
                paths(ColoTopics.REPLICATION_DEGRADED, Map.of("disk", "disk0", "degraded", false)));
        assertEquals(List.of("EVENT event/replication/resync-progress"),
                paths(ColoTopics.REPLICATION_RESYNC, Map.of("disk", "disk0", "done", false)));
        assertEquals(List.of("EVENT event/replication/resync-done"),
                paths(ColoTopics.REPLICATION_RESYNC, Map.of("disk", "disk0", "done", true)));
        assertEquals(List.of("EVENT event/replication/stage-changed", "STATE state/replication/a_b_c_d"),
                paths(ColoTopics.REPLICATION_STAGE_CHANGED, Map.of("disk", "a/b+c#d")), "a level cannot split");
    }

    @Test
    void everyOtherEventKeepsItsConcernAndNameAndItsPropertiesOutsideTheEnvelope() {
        List<Publication> checkpoint = EventMapping.map(ColoTopics.CHECKPOINT_COMPLETED, Map.of("node", "colo-a",
                "role", "primary", "epoch", 7L, "timestamp", 1L, "event.topics", "x", "reasons", new String[] {"TIMER"},
                "paused.us", 900L));
        assertEquals(List.of(Publication.event("event/checkpoint/completed", "checkpoint.completed",
                Map.of("paused.us", 900L, "reasons", List.of("TIMER")))), checkpoint);
        assertEquals(List.of("EVENT event/config/rejected"), paths(ColoTopics.CONFIGURATION_REJECTED, Map.of()));
        assertEquals(List.of(), paths("org/osgi/framework/BundleEvent/STARTED", Map.of()), "not ours");
    }
}
