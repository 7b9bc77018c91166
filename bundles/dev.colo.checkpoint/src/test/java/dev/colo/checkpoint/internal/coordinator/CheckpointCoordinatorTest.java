package dev.colo.checkpoint.internal.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointOutcome;
import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointStep;
import dev.colo.api.guest.ProtectedGuest;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.checkpoint.internal.config.CheckpointSettings;
import dev.colo.checkpoint.internal.protocol.CheckpointMessage;
import dev.colo.checkpoint.internal.run.CheckpointLocal;
import dev.colo.checkpoint.internal.run.CheckpointRecord;
import dev.colo.checkpoint.internal.run.MapGuest;
import dev.colo.checkpoint.internal.run.StubDisk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two coordinators, primary and secondary, joined by an in-memory link: when the pair is protected. */
class CheckpointCoordinatorTest {
    private final MapGuest primaryGuest = new MapGuest("kv");
    private final MapGuest secondaryGuest = new MapGuest("kv");
    private final StubDisk primaryDisk = new StubDisk("disk0");
    private final List<Boolean> protection = new CopyOnWriteArrayList<>();
    private final List<CheckpointRecord> records = new CopyOnWriteArrayList<>();
    private volatile boolean linkCut;
    private CheckpointCoordinator secondary;
    private final CheckpointCoordinator primary;
    /** The epoch the primary's node completed before this coordinator started (its data file says so). */
    private static final long LAST_EPOCH_BEFORE = 41;
    private final List<String> loaded = new CopyOnWriteArrayList<>();
    private final List<String> stale = new CopyOnWriteArrayList<>();

    CheckpointCoordinatorTest() {
        CheckpointSettings settings = CheckpointSettings.parse(Map.of(CheckpointSettings.INTERVAL_MS, "0",
                CheckpointSettings.REPLY_TIMEOUT_MS, "300"));
        primary = new CheckpointCoordinator(Role.PRIMARY, settings, message -> deliver(message, true),
                local(primaryGuest, primaryDisk), PeerHealth.ALIVE, new CheckpointCoordinator.Protection() {
                    @Override
                    public void protecting(boolean now) {
                        protection.add(now);
                    }

                    @Override
                    public void checkpointed(CheckpointRecord record) {
                        records.add(record);
                    }
                }, LAST_EPOCH_BEFORE);
        secondary = new CheckpointCoordinator(Role.SECONDARY, settings, message -> deliver(message, false),
                local(secondaryGuest, new StubDisk("disk0")), PeerHealth.ALIVE, new CheckpointCoordinator.Protection() {
                    @Override
                    public void protecting(boolean now) {
                    }

                    @Override
                    public void checkpointed(CheckpointRecord record) {
                    }

                    @Override
                    public void loaded(long epoch, boolean full, long stateBytes, Set<CheckpointReason> reasons) {
                        loaded.add(epoch + " " + reasons);
                    }

                    @Override
                    public void stale(long epoch, CheckpointStep step, String why) {
                        stale.add(epoch + " " + why);
                    }
                }, 0);
    }

    private void deliver(CheckpointMessage message, boolean toSecondary) {
        if (!linkCut) {
            (toSecondary ? secondary : primary).peerMessage(message);
        }
    }

    @AfterEach
    void close() {
        primary.close();
        secondary.close();
    }

    @Test
    void theFirstCheckpointIsFullAndStartsProtectionAFailureEndsItAndTheNextIsFullAgain() throws Exception {
        primaryGuest.put("a", "1");
        primary.start();
        awaitRecords(1);
        assertTrue(records.get(0).full(), "protection starts with the whole state");
        assertTrue(records.get(0).reasons().contains(CheckpointReason.PROTECT));
        assertEquals(LAST_EPOCH_BEFORE + 1, records.get(0).epoch(), "epochs go on from the node's last one");
        // (a checkpoint is recorded before the protection it starts is told)
        await().atMost(Duration.ofSeconds(10)).until(() -> !protection.isEmpty());
        assertEquals(List.of(true), protection);
        assertTrue(primary.isProtecting());

        primaryGuest.put("b", "2");
        CheckpointOutcome incremental = primary.request(CheckpointReason.MISCOMPARE, "test").get(10, TimeUnit.SECONDS);
        assertTrue(incremental.completed(), incremental.detail());
        assertFalse(records.get(1).full());
        awaitEqual();
        await().atMost(Duration.ofSeconds(10)).until(() -> loaded.size() == 2);
        assertEquals(List.of((LAST_EPOCH_BEFORE + 1) + " [PROTECT]", (LAST_EPOCH_BEFORE + 2) + " [MISCOMPARE]"), loaded,
                "the secondary knows why each checkpoint it loaded was taken");

        linkCut = true;
        assertFalse(primary.request(CheckpointReason.OPERATOR, "test").get(10, TimeUnit.SECONDS).completed());
        assertEquals(List.of(true, false), protection, "a failed checkpoint ends protection");

        linkCut = false;
        primaryGuest.put("c", "3");
        assertTrue(primary.request(CheckpointReason.OPERATOR, "test").get(10, TimeUnit.SECONDS).completed());
        assertTrue(records.get(3).full(), "after a failure the secondary gets the whole state again");
        assertEquals(List.of(true, false, true), protection);
        awaitEqual();
    }

    @Test
    void withoutALiveSecondaryNothingRunsAndTheReturningPeerStartsProtection() throws Exception {
        primary.peerHealth(PeerHealth.DEAD);
        primary.start();
        CheckpointOutcome outcome = primary.request(CheckpointReason.OPERATOR, "test").get(10, TimeUnit.SECONDS);
        assertFalse(outcome.completed());
        assertTrue(outcome.detail().contains("DEAD"), outcome.detail());
        assertEquals(List.of(), records, "nothing ran");
        primary.peerHealth(PeerHealth.ALIVE);
        awaitRecords(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !protection.isEmpty());
        assertEquals(List.of(true), protection);
        primary.peerHealth(PeerHealth.SUSPECTED);
        assertEquals(List.of(true), protection, "a secondary only suspected still protects (output stays held)");
        assertTrue(primary.request(CheckpointReason.OPERATOR, "test").get(10, TimeUnit.SECONDS).completed(),
                "and is still checkpointed: if it were gone, the checkpoint would fail and end protection");
        primary.peerHealth(PeerHealth.DEAD);
        assertEquals(List.of(true, false), protection, "a DEAD secondary is no protection");
    }

    @Test
    void protectionWaitsUntilTheDisksAreInSync() throws Exception {
        primaryDisk.dirtyBytes = 4096;
        primary.start();
        CheckpointOutcome outcome = primary.request(CheckpointReason.OPERATOR, "test").get(10, TimeUnit.SECONDS);
        assertFalse(outcome.completed());
        assertTrue(outcome.detail().contains("resynchronising (4096 bytes"), outcome.detail());
        assertEquals(List.of(), protection);
        primaryDisk.dirtyBytes = 0;
        assertTrue(primary.request(CheckpointReason.OPERATOR, "test").get(10, TimeUnit.SECONDS).completed());
        assertEquals(List.of(true), protection);
    }

    @Test
    void noCheckpointWhileAGuestsDiskIsNotReplicatedHere() throws Exception {
        primaryGuest.disks = List.of("disk0", "disk1"); // disk1's replication is restarting: nothing checks it
        primary.start();
        CheckpointOutcome outcome = primary.request(CheckpointReason.OPERATOR, "test").get(10, TimeUnit.SECONDS);
        assertFalse(outcome.completed());
        assertTrue(outcome.detail().contains("disk disk1, which is not replicated here"), outcome.detail());
        assertEquals(List.of(), protection);
        primaryGuest.disks = List.of("disk0");
        assertTrue(primary.request(CheckpointReason.OPERATOR, "test").get(10, TimeUnit.SECONDS).completed());
        assertEquals(List.of(true), protection);
    }

    @Test
    void aDiskThatLosesItsSecondaryEndsProtectionAndTheSecondaryKnows() throws Exception {
        primary.start();
        awaitRecords(1);
        primaryDisk.degraded = true; // e.g. the secondary's disk is full: the primary dropped it and serves on
        CheckpointOutcome outcome = primary.request(CheckpointReason.OPERATOR, "test").get(10, TimeUnit.SECONDS);
        assertFalse(outcome.completed());
        assertTrue(outcome.detail().contains("without its secondary"), outcome.detail());
        assertEquals(List.of(true, false), protection, "held output must not wait for a secondary that cannot follow");
        await().atMost(Duration.ofSeconds(10)).until(() -> !stale.isEmpty());
        primaryDisk.degraded = false;
        assertTrue(primary.request(CheckpointReason.OPERATOR, "test").get(10, TimeUnit.SECONDS).completed());
        assertEquals(List.of(true, false, true), protection);
    }

    @Test
    void whenTheCoordinatorOfAProtectedPrimaryStopsItsSecondaryKnowsItNoLongerHoldsThePrimarysState()
            throws Exception {
        primary.start();
        awaitRecords(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> loaded.size() == 1);
        assertEquals(List.of(), stale);
        primary.close(); // e.g. the checkpoint bundle updated: the proxy forwards uncompared from now on
        await().atMost(Duration.ofSeconds(10)).until(() -> !stale.isEmpty());
        assertEquals(List.of((LAST_EPOCH_BEFORE + 1) + " the primary: protection ended: the coordinator stops"), stale);
    }

    @Test
    void aSwitchoverCheckpointLeavesThePrimarysGuestsPausedRunsNoOtherAndKeepsTheSecondaryCurrent() throws Exception {
        primary.start();
        awaitRecords(1);
        primaryGuest.put("last", "write");
        CheckpointOutcome last = primary.request(CheckpointReason.SWITCHOVER, "test").get(10, TimeUnit.SECONDS);
        assertTrue(last.completed(), last.detail());
        awaitEqual();
        assertTrue(primaryGuest.paused, "nothing more may be acknowledged by the old primary");
        CheckpointOutcome after = primary.request(CheckpointReason.OPERATOR, "test").get(10, TimeUnit.SECONDS);
        assertFalse(after.completed());
        assertTrue(after.detail().contains("handed over"), after.detail());
        primary.close(); // the node demotes itself: its coordinator stops
        Thread.sleep(100);
        assertEquals(List.of(), stale, "the secondary taking over must not be told that protection ended");
        assertTrue(primaryGuest.paused, "stopping leaves the guests paused: nothing goes out uncompared");
    }

    @Test
    void anAbandonedSwitchoverResumesTheGuestsAndRestartsProtectionWithAFullCheckpoint() throws Exception {
        primary.start();
        awaitRecords(1);
        assertTrue(primary.request(CheckpointReason.SWITCHOVER, "test").get(10, TimeUnit.SECONDS).completed());
        primary.resumeAfterHandOver("the secondary refused");
        assertFalse(primaryGuest.paused);
        assertEquals(List.of(true, false), protection);
        await().atMost(Duration.ofSeconds(10)).until(() -> !stale.isEmpty());
        assertTrue(stale.get(0).contains("switchover abandoned: the secondary refused"), stale.toString());
        assertTrue(primary.request(CheckpointReason.OPERATOR, "test").get(10, TimeUnit.SECONDS).completed());
        assertTrue(records.get(records.size() - 1).full(), "protection restarts with the whole state");
        primary.resumeAfterHandOver("again");
        assertEquals(List.of(true, false, true), protection, "nothing to resume: nothing changes");
    }

    @Test
    void aSwitchoverNeedsAProtectedPair() throws Exception {
        primary.peerHealth(PeerHealth.DEAD);
        primary.start();
        CheckpointOutcome outcome = primary.request(CheckpointReason.SWITCHOVER, "test").get(10, TimeUnit.SECONDS);
        assertFalse(outcome.completed());
        assertFalse(primaryGuest.paused);
    }

    @Test
    void aSecondaryIsAskedNothingAndSaysSo() throws Exception {
        assertTrue(secondary.request(CheckpointReason.OPERATOR, "test").get(1, TimeUnit.SECONDS).detail()
                .contains("secondary"));
    }

    private void awaitRecords(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> records.size() >= count);
    }

    private void awaitEqual() {
        await().atMost(Duration.ofSeconds(10)).until(() -> primaryGuest.data.equals(secondaryGuest.data));
    }

    private static CheckpointLocal local(MapGuest guest, StubDisk disk) {
        return new CheckpointLocal() {
            @Override
            public Optional<ProtectedGuest> guest(String name) {
                return name.equals(guest.name()) ? Optional.of(guest) : Optional.empty();
            }

            @Override
            public List<String> guestNames() {
                return List.of(guest.name());
            }

            @Override
            public List<ProtectedDisk> disks() {
                return List.of(disk);
            }

            @Override
            public void released(long epoch) {
            }

            @Override
            public void loaded(long epoch) {
            }
        };
    }
}
