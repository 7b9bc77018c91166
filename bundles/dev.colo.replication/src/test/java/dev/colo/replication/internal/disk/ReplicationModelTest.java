package dev.colo.replication.internal.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.replication.ReplicationStage;
import dev.colo.api.storage.BlockDevice;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model-based: long random sequences of primary writes, secondary guest writes, checkpoints, link cuts,
 * failovers (some interrupted by a crash and recovered on restart), checked block by block against byte
 * arrays that say what each disk must hold.
 */
class ReplicationModelTest {
    private static final int SIZE = 64 * DiskPair.BLOCK + 1000; // a short last block

    @TempDir
    Path tmp;

    /** What each disk must hold. */
    private static final class Model {
        byte[] primary = new byte[SIZE];
        byte[] s = new byte[SIZE];
        byte[] view = new byte[SIZE];
        boolean[] dirtyBlocks = new boolean[(SIZE + DiskPair.BLOCK - 1) / DiskPair.BLOCK];
        boolean linked = true;
        /** What the round did, for the failure message. */
        java.util.List<String> steps = new java.util.ArrayList<>();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void randomSequencesKeepEveryDiskExactlyAsTheModelSays(long seed) throws Exception {
        Random random = new Random(seed);
        for (int round = 0; round < 4; round++) {
            Path dir = Files.createDirectories(tmp.resolve("round" + round));
            try (DiskPair pair = new DiskPair(dir, SIZE)) {
                pair.start();
                Model model = new Model();
                try {
                    runRound(random, pair, model, "seed " + seed + " round " + round);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nsteps: " + model.steps + "\nevents: " + pair.events, e);
                }
            }
        }
    }

    private void runRound(Random random, DiskPair pair, Model model, String where) throws Exception {
        for (int step = 0; step < 150; step++) {
            int op = random.nextInt(100);
            String at = where + " step " + step;
            model.steps.add(step + ":" + op);
            if (op < 45) {
                primaryWrite(random, pair, model);
            } else if (op < 75) {
                secondaryWrite(random, pair, model);
            } else if (op < 88) {
                checkpoint(pair, model);
            } else if (op < 91 && model.linked) {
                pair.reachable = false;
                pair.link.cut();
                model.linked = false;
            } else if (op < 94 && !model.linked) {
                heal(pair, model);
            } else if (op < 95 && model.linked) {
                replaceSecondary(pair, model);
            } else if (op < 96 && model.linked) {
                pair.restartPrimary(); // in sync before: it finds the same generation and copies nothing
                pair.awaitProtected();
            } else if (op < 98) {
                failover(random, pair, model, at);
                check(pair, model, at);
                return; // the pair is over: the next round starts a new one
            }
            check(pair, model, at);
        }
    }

    /** Random bytes for a random range of up to three blocks, anywhere (unaligned, up to the last byte). */
    private record RandomWrite(int offset, byte[] data) {
        static RandomWrite next(Random random) {
            int offset = random.nextInt(SIZE);
            byte[] data = new byte[1 + random.nextInt(Math.min(3 * DiskPair.BLOCK, SIZE - offset))];
            random.nextBytes(data);
            return new RandomWrite(offset, data);
        }
    }

    private static void primaryWrite(Random random, DiskPair pair, Model model) throws Exception {
        RandomWrite write = RandomWrite.next(random);
        int offset = write.offset();
        byte[] data = write.data();
        int length = data.length;
        pair.primary.device().write(offset, ByteBuffer.wrap(data));
        System.arraycopy(data, 0, model.primary, offset, length);
        if (model.linked) {
            System.arraycopy(data, 0, model.s, offset, length);
        } else {
            for (long b = offset / DiskPair.BLOCK; b <= (offset + length - 1) / DiskPair.BLOCK; b++) {
                model.dirtyBlocks[(int) b] = true;
            }
        }
    }

    private static void secondaryWrite(Random random, DiskPair pair, Model model) throws Exception {
        RandomWrite write = RandomWrite.next(random);
        pair.secondary.device().write(write.offset(), ByteBuffer.wrap(write.data()));
        System.arraycopy(write.data(), 0, model.view, write.offset(), write.data().length);
    }

    /** The secondary is reachable again: the primary reconnects and copies exactly the dirty blocks. */
    private static void heal(DiskPair pair, Model model) throws Exception {
        if (pair.primary.stage() != ReplicationStage.RUNNING) {
            return;
        }
        pair.primary.device().write(0, ByteBuffer.wrap(new byte[0])); // nothing: the link is found cut on the next write
        pair.reachable = true;
        pair.awaitProtected();
        for (int b = 0; b < model.dirtyBlocks.length; b++) {
            int from = b * DiskPair.BLOCK;
            int to = Math.min(SIZE, from + DiskPair.BLOCK);
            if (model.dirtyBlocks[b]) {
                System.arraycopy(model.primary, from, model.s, from, to - from);
            }
        }
        java.util.Arrays.fill(model.dirtyBlocks, false);
        model.linked = true;
        assertArrayEquals(model.primary, model.s, "the model: S is the primary's disk again");
        assertEquals(0, pair.primaryDirty().dirtyBlocks(), "every dirty block was copied and cleared");
    }

    /** A new secondary shares no history with the primary: the whole disk is copied to it. */
    private static void replaceSecondary(DiskPair pair, Model model) throws Exception {
        pair.replaceSecondary();
        pair.primary.device().write(0, ByteBuffer.wrap(new byte[0]));
        pair.awaitProtected();
        model.s = model.primary.clone();
        model.view = new byte[SIZE]; // its view is its S as the epoch began: empty, until the next checkpoint
        pair.awaitEvent("FULL"); // reported just after the pair is protected again

    }

    private static void checkpoint(DiskPair pair, Model model) {
        if (!model.linked) {
            return; // the coordinator does not checkpoint a degraded pair: the secondary lacks writes
        }
        long before = pair.secondary.epoch();
        pair.primary.checkpoint();
        assertEquals(before + 1, pair.secondary.checkpoint(), "each checkpoint starts the next epoch");
        model.view = model.primary.clone();
    }

    /** Failover of the secondary; half the time a crash interrupts the commit and a restart completes it. */
    private static void failover(Random random, DiskPair pair, Model model, String at) throws Exception {
        // a crash needs a commit long enough to be cut: at least three blocks to copy
        boolean crash = random.nextBoolean() && pair.secondary.status().activeBytes() >= 3L * DiskPair.BLOCK;
        if (crash) {
            pair.s.failAfter(random.nextInt(3));
            assertEquals(ReplicationStage.FAILOVER_FAILED, pair.secondary.failover().get(), at);
            pair.crashSecondary();
            pair.s.failAfter(Long.MAX_VALUE);
            pair.openSecondary(false);
        } else {
            assertEquals(ReplicationStage.DONE, pair.secondary.failover().get(), at);
        }
        assertEquals(ReplicationStage.DONE, pair.secondary.stage(), at);
        assertEquals(ReplicationStage.DONE, pair.primary.failover().get(), at);
        model.s = model.view.clone();
        // the old primary's disk differs from the committed S only where H or A held blocks (marked on the
        // secondary) or where the primary wrote while degraded (marked on the primary): a resync of the union
        // of both bitmaps makes them equal
        for (int b = 0; b < model.dirtyBlocks.length; b++) {
            if (differs(model.primary, model.s, b)) {
                assertTrue(pair.secondaryDirty().isDirty(b) || pair.primaryDirty().isDirty(b),
                        at + ": block " + b + " differs but is dirty on neither node");
            }
        }
    }

    private static void check(DiskPair pair, Model model, String at) throws Exception {
        assertArrayEquals(model.primary, pair.primaryDisk.content(), at + ": primary disk");
        assertArrayEquals(model.primary, readAll(pair.primary.device()), at + ": primary guest view");
        assertArrayEquals(model.s, pair.s.content(), at + ": S");
        if (pair.secondary.stage() == ReplicationStage.RUNNING) {
            assertArrayEquals(model.view, readAll(pair.secondary.device()), at + ": secondary guest view");
        } else {
            assertArrayEquals(model.s, readAll(pair.secondary.device()), at + ": secondary after failover");
        }
        for (int b = 0; b < model.dirtyBlocks.length; b++) {
            if (model.dirtyBlocks[b]) {
                assertTrue(pair.primaryDirty().isDirty(b), at + ": block " + b + " written while degraded");
            }
        }
    }

    private static boolean differs(byte[] a, byte[] b, int block) {
        int from = block * DiskPair.BLOCK;
        int to = Math.min(a.length, from + DiskPair.BLOCK);
        return !java.util.Arrays.equals(a, from, to, b, from, to);
    }

    private static byte[] readAll(BlockDevice device) throws Exception {
        ByteBuffer all = ByteBuffer.allocate((int) device.sizeBytes());
        device.read(0, all);
        return all.array();
    }
}
