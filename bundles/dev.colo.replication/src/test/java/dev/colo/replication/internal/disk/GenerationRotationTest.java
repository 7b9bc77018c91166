package dev.colo.replication.internal.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.replication.DiskGenerations;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.replication.internal.generation.GenerationStore;
import dev.colo.replication.internal.generation.Generations;
import dev.colo.storage.DirtyBitmap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a disk's generation rotates: with the first write its peer lacks, durably before it is acknowledged,
 * once until the disks are in sync again — not when the peer is lost, nor at a failover.
 */
class GenerationRotationTest {
    private static final int SIZE = 16 * DiskPair.BLOCK;

    @TempDir
    Path dir;

    @Test
    void shouldKeepTheGenerationWhileDegradedWithoutWritesAndResynchroniseInSync() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE)) {
            pair.start();
            DiskGenerations before = pair.primary.generations();
            assertEquals(new DiskGenerations(DiskPair.INITIAL_GENERATION, Generations.NONE), before);

            degrade(pair);

            assertEquals(before, pair.primary.generations());
            assertFalse(pair.primary.generations().hasWritesLackedBy(pair.secondary.generations()));
            heal(pair, "IN_SYNC");
            assertEquals(before, pair.primary.generations());
        }
    }

    @Test
    void shouldRotateOnTheFirstDegradedWriteOnlyAndResynchroniseIncrementally() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE)) {
            pair.start();
            DiskGenerations before = pair.primary.generations();
            degrade(pair);

            write(pair.primary, 0);
            DiskGenerations first = pair.primary.generations();
            assertNotEquals(before.current(), first.current());
            assertEquals(before.current(), first.base(), "the secondary's generation is the base");
            assertTrue(first.hasWritesLackedBy(pair.secondary.generations()));
            assertFalse(pair.secondary.generations().hasWritesLackedBy(first));

            write(pair.primary, 3 * DiskPair.BLOCK);
            assertEquals(first, pair.primary.generations(), "later writes keep the generation");

            heal(pair, "INCREMENTAL");
            assertArrayEquals(pair.primaryDisk.content(), pair.s.content());
            assertEquals(first.current(), pair.secondary.generations().current());
        }
    }

    /** The write that finds the secondary gone is itself acknowledged without it. */
    @Test
    void shouldRecordTheRotationDurablyBeforeTheWriteIsAcknowledged() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE)) {
            pair.start();
            DiskGenerations before = pair.primary.generations();
            pair.reachable = false;
            pair.link.cut();

            write(pair.primary, DiskPair.BLOCK);

            assertTrue(pair.primary.status().degraded());
            Generations onDisk = GenerationStore.open(dir.resolve("primary.generation"), 0).get();
            assertEquals(new Generations(pair.primary.generations().current(), before.current(), false), onDisk);
            assertNotEquals(before.current(), onDisk.current());
        }
    }

    /** As after a kill -9 of the degraded primary: its rotation is neither repeated nor forgotten. */
    @Test
    void shouldNotRotateAgainAfterARestart() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE)) {
            pair.start();
            degrade(pair);
            write(pair.primary, 0);
            DiskGenerations rotated = pair.primary.generations();

            pair.restartPrimary(); // the secondary still unreachable: degraded again at once
            write(pair.primary, 5 * DiskPair.BLOCK);

            assertEquals(rotated, pair.primary.generations());
            heal(pair, "INCREMENTAL");
            assertArrayEquals(pair.primaryDisk.content(), pair.s.content());
        }
    }

    @Test
    void shouldShareTheGenerationAgainOnceInSyncSoThatTheNextDegradedWriteRotatesAgain() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE)) {
            pair.start();
            degrade(pair);
            write(pair.primary, 0);
            DiskGenerations first = pair.primary.generations();
            heal(pair, "INCREMENTAL");
            assertTrue(pair.primary.parts().generations().get().shared());
            assertTrue(pair.secondary.parts().generations().get().shared());
            assertEquals(first.current(), pair.secondary.generations().current());
            assertFalse(pair.primary.generations().hasWritesLackedBy(pair.secondary.generations()));

            degrade(pair);
            assertEquals(first, pair.primary.generations());
            write(pair.primary, 2 * DiskPair.BLOCK);

            DiskGenerations second = pair.primary.generations();
            assertNotEquals(first.current(), second.current());
            assertEquals(first.current(), second.base());
            heal(pair, "INCREMENTAL");
            assertArrayEquals(pair.primaryDisk.content(), pair.s.content());
        }
    }

    @Test
    void shouldRotateAPromotedSecondaryOnItsFirstWriteAsPrimary() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE)) {
            pair.start();
            write(pair.primary, 0); // H keeps S's block 0, which the commit restores
            write(pair.secondary, 2 * DiskPair.BLOCK); // into A, which the commit copies into S
            DiskGenerations before = pair.secondary.generations();

            assertEquals(ReplicationStage.DONE, pair.secondary.failover().get());
            assertEquals(before, pair.secondary.generations(), "the commit's blocks are dirty, not acknowledged writes");
            assertFalse(pair.secondary.generations().hasWritesLackedBy(pair.primary.generations()));

            write(pair.secondary, 4 * DiskPair.BLOCK);
            DiskGenerations promoted = pair.secondary.generations();
            assertNotEquals(before.current(), promoted.current());
            assertEquals(before.current(), promoted.base());
            assertEquals(new Generations(promoted.current(), promoted.base(), false),
                    GenerationStore.open(dir.resolve("secondary.generation"), 0).get());
            assertTrue(promoted.hasWritesLackedBy(pair.primary.generations()));
            assertFalse(pair.primary.generations().hasWritesLackedBy(promoted));
            write(pair.secondary, 5 * DiskPair.BLOCK);
            assertEquals(promoted, pair.secondary.generations());

            write(pair.primary, 6 * DiskPair.BLOCK); // the old primary's write is refused by S: it goes on alone
            assertTrue(pair.primary.generations().hasWritesLackedBy(promoted), "each has writes the other lacks");
            assertTrue(promoted.hasWritesLackedBy(pair.primary.generations()));
        }
    }

    /**
     * A promoted secondary that steps down (the old primary had writes it lacked) keeps its failover commit's
     * blocks in its own bitmap only; the primary's bitmap does not name them, so only a full copy makes S equal.
     */
    @Test
    void shouldCopyEveryBlockToASecondaryWithBlocksOfItsOwn() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE)) {
            secondaryWithABlockOfItsOwn(pair);

            pair.openSecondary(false);
            assertEquals(Generations.NONE, pair.secondary.generations().base());
            assertNotEquals(DiskPair.INITIAL_GENERATION, pair.secondary.generations().current());
            assertEquals(0, pair.secondaryDirty().dirtyBlocks());
            pair.secondary.start();
            heal(pair, "FULL");
            assertArrayEquals(pair.primaryDisk.content(), pair.s.content());
        }
    }

    /**
     * A node stopped at a split brain keeps what it has for the operator's choice: opened as a secondary, it keeps
     * its generation and the blocks of its own while held; once the hold ends it forgets them, and is copied whole.
     */
    @Test
    void shouldKeepTheDataOfASecondaryHeldForAnOperatorUntilTheHoldEnds() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE)) {
            secondaryWithABlockOfItsOwn(pair);

            pair.secondaryHeldFor = "split brain: each has writes the other lacks";
            pair.openSecondary(false);
            assertEquals(DiskPair.INITIAL_GENERATION, pair.secondary.generations().current(), "kept while held");
            assertEquals(1, pair.secondaryDirty().dirtyBlocks());
            assertEquals(pair.secondaryHeldFor, pair.secondary.heldFor());

            pair.secondary.release();
            assertEquals("", pair.secondary.heldFor());
            assertNotEquals(DiskPair.INITIAL_GENERATION, pair.secondary.generations().current());
            assertEquals(0, pair.secondaryDirty().dirtyBlocks());
            pair.secondary.start();
            heal(pair, "FULL");
            assertArrayEquals(pair.primaryDisk.content(), pair.s.content());
        }
    }

    /**
     * The secondary crashes with a block of its own (a failover commit's, or written while it was the primary) named
     * in its dirty bitmap; the primary, degraded meanwhile, has a write of its own. The secondary is not reopened.
     */
    private void secondaryWithABlockOfItsOwn(DiskPair pair) throws Exception {
        pair.start();
        pair.reachable = false;
        pair.link.cut();
        pair.secondary.close();
        pair.crashSecondary();
        pair.s.write(7 * DiskPair.BLOCK, ByteBuffer.wrap(new byte[] {9, 9, 9}));
        try (DirtyBitmap own = DirtyBitmap.open(dir.resolve("secondary.dirty"), SIZE, DiskPair.BLOCK)) {
            own.mark(7 * DiskPair.BLOCK, 3);
        }
        write(pair.primary, 0);
    }

    /** The secondary is lost; the empty write (no data) only makes the primary notice. */
    private static void degrade(DiskPair pair) throws IOException {
        pair.reachable = false;
        pair.link.cut();
        pair.primary.device().write(0, ByteBuffer.wrap(new byte[0]));
        assertTrue(pair.primary.status().degraded());
    }

    /** The secondary is reachable again: waits for re-protection, of {@code kind}. */
    private static void heal(DiskPair pair, String kind) throws InterruptedException {
        pair.events.clear();
        pair.reachable = true;
        pair.awaitProtected();
        pair.awaitEvent("degraded=false: " + kind);
    }

    private static void write(ReplicatedDisk disk, int offset) throws IOException {
        disk.device().write(offset, ByteBuffer.wrap(new byte[] {(byte) (offset / DiskPair.BLOCK + 1), 7, 7}));
    }
}
