package dev.colo.checkpoint.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointStep;
import dev.colo.checkpoint.internal.protocol.CheckpointMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The checkpoint protocol between a primary and a secondary coordinator, with faults at every step. */
class CheckpointProtocolTest {
    private static final Set<CheckpointReason> OPERATOR = Set.of(CheckpointReason.OPERATOR);
    private final CheckpointPair pair = new CheckpointPair(Duration.ofMillis(500));

    @AfterEach
    void close() {
        pair.close();
    }

    @Test
    void aFullThenAnIncrementalCheckpointMakeTheSecondaryGuestThePrimarysInTheOrderOfTheDesign() throws Exception {
        pair.primaryGuest.put("a", "1");
        pair.primaryGuest.put("b", "2");
        pair.secondaryGuest.put("diverged", "x"); // what the secondary did on its own is dropped by a full state
        CheckpointRecord first = pair.primary.run(1, true, OPERATOR);
        assertTrue(first.completed(), first.detail());
        pair.settle();
        assertEquals(pair.primaryGuest.data, pair.secondaryGuest.data);

        pair.primaryGuest.put("b", null);
        pair.primaryGuest.put("c", "3");
        CheckpointRecord second = pair.primary.run(2, false, Set.of(CheckpointReason.MISCOMPARE));
        assertTrue(second.completed(), second.detail());
        pair.settle();
        assertEquals(pair.primaryGuest.data, pair.secondaryGuest.data);
        assertTrue(second.stateBytes() < first.stateBytes() + 10, "incremental: only the changed keys");

        assertEquals(Set.of("primary released 1", "secondary loaded 1", "primary released 2", "secondary loaded 2"),
                Set.copyOf(pair.events), "held output released on the primary, the new epoch loaded on the secondary");
        for (CheckpointStep step : CheckpointStep.values()) {
            assertTrue(second.stepNanos().containsKey(step), "timed: " + step);
        }
        assertTrue(second.pausedNanos() > 0);
        assertEquals(2, pair.primaryDisk.checkpoints);
        assertEquals(2, pair.secondaryDisk.checkpoints, "A and H emptied at every checkpoint");
        assertFalse(pair.primaryGuest.paused || pair.secondaryGuest.paused, "both resumed");
        assertEquals(2, pair.secondary.loadedEpoch());
    }

    @Test
    void aSecondaryThatNeverAnswersFailsTheCheckpointAtRequestAndThePrimaryGoesOn() throws Exception {
        pair.lostToSecondary = message -> true;
        CheckpointRecord record = pair.primary.run(1, true, OPERATOR);
        assertFalse(record.completed());
        assertEquals(CheckpointStep.REQUEST, record.failedStep());
        assertTrue(record.detail().contains("no ready"), record.detail());
        assertEquals(0, pair.primaryGuest.pauses, "the primary never paused for a secondary that is not there");
        assertEquals(List.of(), pair.events, "nothing released: the secondary has nothing");
    }

    @Test
    void aPrimaryThatDiesAfterTheSecondaryReceivedTheStateStillHasItLoaded() throws Exception {
        pair.primaryGuest.put("k", "v");
        pair.lostToPrimary = reply -> reply instanceof CheckpointMessage.Loaded; // the link breaks after received
        CheckpointRecord record = pair.primary.run(1, true, OPERATOR);
        assertFalse(record.completed());
        assertEquals(CheckpointStep.LOAD, record.failedStep());
        pair.settle();
        assertTrue(pair.events.contains("primary released 1"), "released once received: the secondary has it");
        assertEquals(pair.primaryGuest.data, pair.secondaryGuest.data, "loaded although the primary is gone");
        assertEquals(1, pair.secondary.loadedEpoch());
        assertFalse(pair.primaryGuest.paused, "the primary resumed");
    }

    @Test
    void aSecondaryThatCannotLoadFailsTheCheckpointAndResumesItsGuest() throws Exception {
        pair.secondaryGuest.failRestore = true;
        CheckpointRecord record = pair.primary.run(1, true, OPERATOR);
        assertFalse(record.completed());
        assertEquals(CheckpointStep.LOAD, record.failedStep());
        assertTrue(record.detail().contains("restore refused"), record.detail());
        pair.settle();
        assertFalse(pair.secondaryGuest.paused);
        assertEquals(-1, pair.secondary.loadedEpoch());
    }

    @Test
    void aReplicationErrorOnTheSecondaryFailsTheCheckpointNamingTheDisk() throws Exception {
        pair.secondaryDisk.error = "S write failed: No space left on device";
        CheckpointRecord record = pair.primary.run(1, true, OPERATOR);
        assertFalse(record.completed());
        assertTrue(record.detail().contains("disk0") && record.detail().contains("No space left"), record.detail());
        assertEquals(0, pair.secondaryDisk.checkpoints, "A and H are kept: they are what the secondary guest saw");
    }

    @Test
    void aSecondaryWithoutTheGuestsDiskFailsTheCheckpointNamingItAndKeepsItsState() throws Exception {
        pair.secondaryGuest.put("own", "state");
        pair.secondaryGuest.disks = List.of("disk0", "disk1"); // disk1's replication is restarting here
        pair.primaryGuest.put("k", "v");
        CheckpointRecord record = pair.primary.run(1, true, OPERATOR);
        assertFalse(record.completed());
        assertEquals(CheckpointStep.REQUEST, record.failedStep());
        assertTrue(record.detail().contains("disk1"), record.detail());
        pair.settle();
        assertEquals(-1, pair.secondary.loadedEpoch(), "nothing loaded: a takeover would find disk1 behind the state");
        assertEquals(0, pair.secondaryDisk.checkpoints);
        assertEquals("state", pair.secondaryGuest.data.get("own"));
    }

    @Test
    void whenThePrimaryGivesUpDuringTheTransferTheSecondaryResumesWithTheStateItHad() throws Exception {
        pair.secondaryGuest.put("own", "state");
        pair.lostToSecondary = message -> message instanceof CheckpointMessage.State;
        CheckpointRecord record = pair.primary.run(1, true, OPERATOR);
        assertEquals(CheckpointStep.TRANSFER, record.failedStep());
        pair.settle();
        assertFalse(pair.secondaryGuest.paused, "the failed message ended its pause");
        assertFalse(pair.secondary.inProgress());
        assertEquals("state", pair.secondaryGuest.data.get("own"), "no partial state was loaded");
        assertEquals(List.of("secondary stale 1 at TRANSFER"), pair.events,
                "nothing released or loaded; the primary goes on alone, so the secondary's state is behind it");
    }

    @Test
    void stateLargerThanOneMessageArrivesWhole() throws Exception {
        String big = "x".repeat(3 * CheckpointMessage.MAX_CHUNK_BYTES / 2);
        pair.primaryGuest.put("big", big);
        pair.primaryGuest.put("bigger", big + big);
        CheckpointRecord record = pair.primary.run(1, true, OPERATOR);
        assertTrue(record.completed(), record.detail());
        pair.settle();
        assertEquals(pair.primaryGuest.data, pair.secondaryGuest.data);
        assertTrue(record.stateBytes() > 4L * CheckpointMessage.MAX_CHUNK_BYTES);
    }
}
