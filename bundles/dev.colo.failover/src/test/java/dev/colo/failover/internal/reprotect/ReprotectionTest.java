package dev.colo.failover.internal.reprotect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.Role;
import dev.colo.api.failover.FailoverState;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.management.ReprotectionPhase;
import dev.colo.api.management.ReprotectionProgress;
import dev.colo.api.replication.CopyProgress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReprotectionTest {
    private static final List<Reprotection.Disk> IN_SYNC = List.of(new Reprotection.Disk("disk0", 0, CopyProgress.NONE,
            false));

    @Test
    void shouldGoThroughThePhasesInOrder() {
        assertEquals(ReprotectionPhase.WAITING_FOR_SECONDARY,
                assess(Role.PRIMARY, FailoverState.COMPLETED, PeerHealth.DEAD, IN_SYNC, false).phase());
        List<Reprotection.Disk> copying = List.of(new Reprotection.Disk("disk0", 300, new CopyProgress(1000, 300, 100),
                false),
                new Reprotection.Disk("disk1", 100, CopyProgress.NONE, false));
        ReprotectionProgress resync = assess(Role.PRIMARY, FailoverState.COMPLETED, PeerHealth.ALIVE, copying, false);
        assertEquals(ReprotectionPhase.RESYNCHRONISING, resync.phase());
        assertEquals(400, resync.resyncRemainingBytes());
        assertEquals(63, resync.resyncPercent(), "700 of 1100 bytes copied");
        assertEquals(4, resync.resyncEtaSeconds(), "400 bytes at 100 bytes/s");
        assertTrue(resync.detail().contains("400 bytes"), resync.detail());
        ReprotectionProgress checkpointing = assess(Role.PRIMARY, FailoverState.NONE, PeerHealth.ALIVE, IN_SYNC, false);
        assertEquals(ReprotectionPhase.CHECKPOINTING, checkpointing.phase());
        assertEquals(100, checkpointing.resyncPercent());
        assertEquals(0, checkpointing.resyncEtaSeconds());
        assertEquals(ReprotectionPhase.PROTECTED,
                assess(Role.PRIMARY, FailoverState.NONE, PeerHealth.ALIVE, IN_SYNC, true).phase());
    }

    @Test
    void shouldBeDrivenOnlyFromAPrimaryWithNoFailoverUnderWay() {
        assertEquals(ReprotectionPhase.NOT_PRIMARY,
                assess(Role.SECONDARY, FailoverState.NONE, PeerHealth.ALIVE, IN_SYNC, false).phase());
        assertEquals(ReprotectionPhase.NOT_PRIMARY, assess(null, FailoverState.NONE, PeerHealth.ALIVE, IN_SYNC, false)
                .phase());
        assertEquals(ReprotectionPhase.FAILOVER_UNDER_WAY,
                assess(Role.PRIMARY, FailoverState.ACTIVE, PeerHealth.DEAD, IN_SYNC, false).phase());
    }

    @Test
    void shouldNotKnowTheEtaBeforeAnyRateIsMeasured() {
        List<Reprotection.Disk> dirty = List.of(new Reprotection.Disk("disk0", 4096, CopyProgress.NONE, false));
        ReprotectionProgress progress = assess(Role.PRIMARY, FailoverState.NONE, PeerHealth.ALIVE, dirty, false);
        assertEquals(-1, progress.resyncEtaSeconds());
        assertEquals(0, progress.resyncPercent());
    }

    /** A secondary that is not there copies nothing: no share done, no time left (and no stale rate). */
    @Test
    void shouldSayNothingRunsWhileTheSecondaryIsAway() {
        List<Reprotection.Disk> dirty = List.of(new Reprotection.Disk("disk0", 15_000_000,
                new CopyProgress(127_000_000, 15_000_000, 7_000_000), true));
        ReprotectionProgress away = assess(Role.PRIMARY, FailoverState.NONE, PeerHealth.DEAD, dirty, false);
        assertEquals(ReprotectionPhase.WAITING_FOR_SECONDARY, away.phase());
        assertEquals(-1, away.resyncPercent());
        assertEquals(-1, away.resyncEtaSeconds());
        assertEquals(15_000_000, away.resyncRemainingBytes());
        assertTrue(away.detail().contains("15000000 bytes to copy"), away.detail());
    }

    /** A secondary that is there but whose disk is not attached yet: not "waiting for the full checkpoint". */
    @Test
    void shouldSayADegradedDiskIsAttachedAgainBeforeTheCheckpoint() {
        List<Reprotection.Disk> detached = List.of(new Reprotection.Disk("disk0", 0, CopyProgress.NONE, true));
        ReprotectionProgress progress = assess(Role.PRIMARY, FailoverState.NONE, PeerHealth.ALIVE, detached, false);
        assertEquals(ReprotectionPhase.RESYNCHRONISING, progress.phase());
        assertTrue(progress.detail().contains("attaching disk disk0"), progress.detail());
    }

    private static ReprotectionProgress assess(Role role, FailoverState failover, PeerHealth peer,
            List<Reprotection.Disk> disks, boolean protecting) {
        return Reprotection.assess(new Reprotection.Facts(role, failover, peer, disks, protecting, "colo-b:7800"));
    }
}
