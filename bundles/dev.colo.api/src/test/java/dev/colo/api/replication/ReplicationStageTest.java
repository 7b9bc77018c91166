package dev.colo.api.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicationStageTest {

    @Test
    void shouldAllowExactlyTheDesignedTransitions() {
        // NONE → RUNNING → (FAILOVER → DONE | FAILOVER_FAILED) | DONE, a failed commit may be retried,
        // and re-protection starts a finished disk again
        assertEquals(Set.of(ReplicationStage.RUNNING), ReplicationStage.NONE.next());
        assertEquals(EnumSet.of(ReplicationStage.FAILOVER, ReplicationStage.DONE), ReplicationStage.RUNNING.next());
        assertEquals(EnumSet.of(ReplicationStage.DONE, ReplicationStage.FAILOVER_FAILED),
                ReplicationStage.FAILOVER.next());
        assertEquals(Set.of(ReplicationStage.FAILOVER), ReplicationStage.FAILOVER_FAILED.next());
        assertEquals(Set.of(ReplicationStage.RUNNING), ReplicationStage.DONE.next());
        for (ReplicationStage stage : ReplicationStage.values()) {
            assertEquals(false, stage.canMoveTo(stage), stage + " to itself");
        }
    }

    @Test
    void shouldParseModesAndNameTheAcceptedValues() {
        assertEquals(ReplicationMode.ASYNC, ReplicationMode.parse(" Async "));
        assertEquals("must be 'sync' or 'async'",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> ReplicationMode.parse("protocol-c")).getMessage());
    }
}
