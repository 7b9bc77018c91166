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
    void aProxyThatCannotListenIsNamedApartFromOneThatListensOrStopped() {
        assertEquals(List.of(Publication.event("event/proxy/listen-failed", "proxy.listen-failed", Map.of("service",
                "kv", "address", "0.0.0.0:6379", "listening", false, "error", "java.net.BindException: in use"))),
                EventMapping.map(ColoTopics.PROXY_LISTENING, Map.of("node", "colo-a", "service", "kv", "address",
                        "0.0.0.0:6379", "listening", false, "error", "java.net.BindException: in use")));
        assertEquals(List.of("EVENT event/proxy/listening"),
                paths(ColoTopics.PROXY_LISTENING, Map.of("service", "kv", "listening", true, "error", "")));
        assertEquals(List.of("EVENT event/proxy/stopped-listening"),
                paths(ColoTopics.PROXY_LISTENING, Map.of("service", "kv", "listening", false, "error", "")));
    }

    @Test
    void aSplitBrainIsNamedForAlertingBesideTheRoleConflict() {
        assertEquals(List.of("EVENT event/failover/role-conflict", "EVENT event/failover/split-brain"),
                paths(ColoTopics.ROLE_CONFLICT, Map.of("remote", "colo-b", "current", "SPLIT_BRAIN")));
        assertEquals(List.of("EVENT event/failover/role-conflict", "EVENT event/failover/split-brain"),
                paths(ColoTopics.ROLE_CONFLICT, Map.of("remote", "colo-b", "current", "UNDECIDABLE")));
        assertEquals(List.of("EVENT event/failover/role-conflict"),
                paths(ColoTopics.ROLE_CONFLICT, Map.of("remote", "colo-b", "current", "STEP_DOWN")));
        assertEquals(List.of("EVENT event/checkpoint/secondary-stale"),
                paths(ColoTopics.SECONDARY_STALE, Map.of("stale", true, "reason", "link lost and regained")));
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
