package dev.colo.failover.internal.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.Role;
import dev.colo.api.replication.DiskGenerations;
import dev.colo.failover.internal.claim.RoleClaim.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The claim resolution table: two primaries settle from their disks' generations, never by discarding writes. */
class RoleClaimTest {
    private static final long SHARED = 0x51;
    private static final long OLD_BASE = 0x50;

    private static RoleClaim primary(long promotedAt, long current, long base) {
        return new RoleClaim(Role.PRIMARY, promotedAt, 10, List.of(new RoleClaim.Disk("disk0", new DiskGenerations(current, base))));
    }

    private static Verdict settle(RoleClaim mine, RoleClaim peer) {
        return mine.settle(peer).verdict();
    }

    @Test
    void theNodeWithWritesThePeerLacksStaysWhateverThePromotions() {
        RoleClaim wroteAlone = primary(1000, 0x61, SHARED); // the old primary, degraded, acknowledged writes
        RoleClaim promotedLater = primary(2000, SHARED, OLD_BASE); // the new one: promoted, wrote nothing since
        assertEquals(Verdict.STAY, settle(wroteAlone, promotedLater));
        assertEquals(Verdict.STEP_DOWN, settle(promotedLater, wroteAlone));
        assertTrue(wroteAlone.settle(promotedLater).reason().contains("writes the peer lacks on [disk0]"));
    }

    @Test
    void whenEachHasWritesTheOtherLacksNeitherStepsDown() {
        RoleClaim a = primary(1000, 0x61, SHARED);
        RoleClaim b = primary(2000, 0x62, SHARED);
        assertEquals(Verdict.SPLIT_BRAIN, settle(a, b));
        assertEquals(Verdict.SPLIT_BRAIN, settle(b, a));
    }

    @Test
    void theSameDataIsSettledByThePromotionAndOtherwiseByAnOperator() {
        RoleClaim returning = primary(1000, SHARED, OLD_BASE);
        RoleClaim survivor = primary(2000, SHARED, 0);
        assertEquals(Verdict.STEP_DOWN, settle(returning, survivor), "clients were moved to the later one");
        assertEquals(Verdict.STAY, settle(survivor, returning));
        assertEquals(Verdict.STEP_DOWN, settle(primary(0, SHARED, 0), survivor), "never promoted");
        assertEquals(Verdict.UNDECIDABLE, settle(primary(0, SHARED, 0), primary(0, SHARED, 0)));
    }

    @Test
    void aDiskWhoseCurrentIsThePeersBaseHasNothingThePeerLacks() {
        RoleClaim behind = primary(5000, SHARED, OLD_BASE); // promoted later, but its data is the peer's base
        RoleClaim ahead = primary(1000, 0x61, SHARED);
        assertEquals(Verdict.STEP_DOWN, settle(behind, ahead));
    }

    @Test
    void onlyTwoPrimariesHaveAnythingToSettle() {
        RoleClaim survivor = primary(2000, 0x61, SHARED);
        RoleClaim secondary = new RoleClaim(Role.SECONDARY, 0, 10, List.of(new RoleClaim.Disk("disk0", new DiskGenerations(0x62, 0))));
        assertEquals(Verdict.NONE, settle(survivor, secondary));
        assertEquals(Verdict.NONE, settle(secondary, survivor));
    }

    @Test
    void aVersionOnePeerNamesNoGenerationsAndCannotBeCompared() {
        RoleClaim older = new RoleClaim(1, Role.PRIMARY, 3000, -1, List.of());
        assertEquals(Verdict.SPLIT_BRAIN, settle(primary(1000, SHARED, 0), older));
    }

    @Test
    void aClaimSentWhileDisksStartIsSettledByTheNextOne() {
        RoleClaim starting = new RoleClaim(Role.PRIMARY, 1000, -1, List.of()); // restarted, its disks not yet up
        RoleClaim survivor = primary(2000, 0x61, SHARED);
        assertEquals(Verdict.PENDING, settle(survivor, starting));
        assertEquals(Verdict.PENDING, settle(starting, survivor));
        assertTrue(survivor.settle(starting).reason().contains("this node: [disk0], the peer: []"));
        assertEquals(Verdict.STEP_DOWN, settle(primary(1000, SHARED, OLD_BASE), survivor), "once its disks are up");
        RoleClaim twoDisks = new RoleClaim(Role.PRIMARY, 1000, 10, List.of(
                new RoleClaim.Disk("disk0", new DiskGenerations(SHARED, 0)),
                new RoleClaim.Disk("disk1", new DiskGenerations(SHARED, 0))));
        assertEquals(Verdict.PENDING, settle(survivor, twoDisks), "one disk of two is not enough");
    }

    @Test
    void claimsSurviveTheWireAndMalformedOnesAreErrors() throws IOException {
        RoleClaim claim = new RoleClaim(Role.PRIMARY, 1_764_000_000_000L, 42,
                List.of(new RoleClaim.Disk("disk0", new DiskGenerations(1, 2)),
                        new RoleClaim.Disk("disk1", new DiskGenerations(-3, 0))));
        assertEquals(claim, RoleClaim.decode(claim.encode()));
        byte[] payload = claim.encode();
        int versionOne = 2 + "primary".length() + 8;
        for (int length = 0; length < payload.length; length++) {
            if (length != versionOne) {
                byte[] truncated = Arrays.copyOf(payload, length);
                assertThrows(IOException.class, () -> RoleClaim.decode(truncated), "length " + length);
            }
        }
        assertThrows(IOException.class, () -> RoleClaim.decode(Arrays.copyOf(payload, payload.length + 1)));
        assertThrows(IOException.class, () -> RoleClaim.decode(new byte[10_000]));
        byte[] wrongVersion = payload.clone();
        wrongVersion[versionOne] = 9;
        assertTrue(assertThrows(IOException.class, () -> RoleClaim.decode(wrongVersion)).getMessage()
                .contains("version 9"));
    }

    @Test
    void theNodeAnOperatorKeptAtASplitBrainStaysWhateverTheDataSays() throws IOException {
        // each has writes the other lacks (a split brain), or the peer seems to hold everything: the operator decided
        RoleClaim kept = new RoleClaim(Role.PRIMARY, 5000, 10, List.of(new RoleClaim.Disk("disk0",
                new DiskGenerations(0x61, SHARED))), true);
        RoleClaim other = primary(4000, 0x62, SHARED);
        RoleClaim otherBasedOnKept = primary(4000, 0x62, 0x61);
        assertEquals(Verdict.SPLIT_BRAIN, settle(primary(5000, 0x61, SHARED), other), "without the operator's mark");
        assertEquals(Verdict.STAY, settle(kept, other));
        assertEquals(Verdict.STEP_DOWN, settle(other, kept));
        assertEquals(Verdict.STEP_DOWN, settle(otherBasedOnKept, kept));
        assertEquals(Verdict.STAY, settle(kept, otherBasedOnKept));
        RoleClaim read = RoleClaim.decode(kept.encode());
        assertEquals(kept, read);
        assertEquals(RoleClaim.VERSION_KEPT, read.version());
        assertEquals(RoleClaim.VERSION, RoleClaim.decode(other.encode()).version(), "an unmarked claim stays at 2");
    }

    @Test
    void aVersionOneClaimIsStillRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("secondary");
            out.writeLong(1234);
        }
        assertEquals(new RoleClaim(1, Role.SECONDARY, 1234, -1, List.of()), RoleClaim.decode(bytes.toByteArray()));
    }
}
