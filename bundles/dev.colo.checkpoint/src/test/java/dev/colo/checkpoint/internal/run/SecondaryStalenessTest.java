package dev.colo.checkpoint.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.heartbeat.PeerHealth;
import org.junit.jupiter.api.Test;

/** The staleness rule: a secondary holds the primary's state from a load until anything could have let it go on alone. */
class SecondaryStalenessTest {
    private final SecondaryStaleness staleness = new SecondaryStaleness();

    @Test
    void aCoordinatorThatStartsHoldsNothingUntilACheckpointLoads() {
        assertTrue(staleness.staleReason().orElseThrow().contains("no checkpoint loaded"));
        assertEquals(-1, staleness.loadedEpoch());
        SecondaryStaleness.Change change = staleness.loaded(7, 100).orElseThrow();
        assertFalse(change.stale());
        assertEquals(7, change.epoch());
        assertTrue(staleness.staleReason().isEmpty());
        assertTrue(staleness.loaded(8, 200).isEmpty(), "holding again is no change");
    }

    @Test
    void contactLostAndRegainedMakesItStaleUntilTheNextLoad() {
        staleness.loaded(7, 100);
        assertTrue(staleness.peerHealth(PeerHealth.SUSPECTED).isEmpty(), "losing contact alone changes nothing");
        assertTrue(staleness.staleReason().isEmpty());
        SecondaryStaleness.Change change = staleness.peerHealth(PeerHealth.ALIVE).orElseThrow();
        assertTrue(change.stale());
        assertTrue(change.reason().contains("was SUSPECTED"), change.reason());
        assertTrue(staleness.staleReason().isPresent());
        assertTrue(staleness.loaded(8, 300).isPresent());
        assertTrue(staleness.staleReason().isEmpty());
    }

    @Test
    void aPrimaryThatDiesLeavesTheSecondaryHoldingItsState() {
        staleness.loaded(7, 100);
        staleness.peerHealth(PeerHealth.SUSPECTED);
        staleness.peerHealth(PeerHealth.DEAD);
        assertTrue(staleness.staleReason().isEmpty(), "this is when the secondary must take over");
    }

    @Test
    void contactRegainedBeforeTheFirstLoadIsNoChange() {
        staleness.peerHealth(PeerHealth.UNKNOWN);
        assertTrue(staleness.peerHealth(PeerHealth.ALIVE).isEmpty());
        staleness.loaded(1, 100);
        assertTrue(staleness.peerHealth(PeerHealth.ALIVE).isEmpty(), "ALIVE after ALIVE is no interruption");
        assertTrue(staleness.staleReason().isEmpty());
    }

    @Test
    void aStallAfterTheLoadMakesItStaleOneBeforeDoesNot() {
        assertTrue(staleness.stalled(50).isEmpty(), "nothing loaded: nothing to lose");
        staleness.loaded(7, 100);
        assertTrue(staleness.stalled(Long.MIN_VALUE).isEmpty(), "never stalled");
        assertTrue(staleness.stalled(50).isEmpty(), "a stall before the load does not count");
        assertTrue(staleness.stalled(150).orElseThrow().reason().contains("stalled after checkpoint 7"));
    }

    @Test
    void theFirstReasonStaysUntilALoad() {
        staleness.loaded(7, 100);
        assertTrue(staleness.stale("the primary: protection ended").isPresent());
        assertTrue(staleness.stale("another").isEmpty());
        assertTrue(staleness.staleReason().orElseThrow().startsWith("the primary: protection ended (since "));
    }
}
