package dev.colo.replication.internal.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.replication.CopyProgress;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.replication.internal.primary.Resynchroniser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Single cases the model-based test does not reach on purpose: misconfiguration and refused operations. */
class ReplicatedDiskTest {
    private static final int SIZE = 16 * DiskPair.BLOCK;

    @TempDir
    Path dir;

    @Test
    void shouldNeverAttachASecondaryOfAnotherSizeAndSayWhy() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE, SIZE + DiskPair.BLOCK)) {
            pair.startUnprotected();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (pair.primary.error().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            String error = pair.primary.error().orElseThrow();
            assertTrue(error.contains(Integer.toString(SIZE + DiskPair.BLOCK)) && error.contains(Integer.toString(SIZE)),
                    error);
            assertTrue(pair.primary.status().degraded());
            byte[] data = {1, 2, 3};
            pair.primary.device().write(0, ByteBuffer.wrap(data)); // the guest's write still succeeds, recorded
            assertTrue(pair.primaryDirty().isDirty(0));
            assertArrayEquals(new byte[3], java.util.Arrays.copyOf(pair.s.content(), 3), "S got nothing");
        }
    }

    /**
     * A disk opened and not yet started takes no guest write on either node: the primary would neither send it nor
     * record it for the secondary, and the secondary would write S beside A.
     */
    @Test
    void shouldRefuseTheGuestsWritesUntilTheDiskStarted() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE)) {
            for (ReplicatedDisk disk : new ReplicatedDisk[] {pair.primary, pair.secondary}) {
                IOException refused = assertThrows(IOException.class,
                        () -> disk.device().write(0, ByteBuffer.wrap(new byte[] {1})));
                assertTrue(refused.getMessage().contains("while it is NONE"), refused.getMessage());
                disk.device().read(0, ByteBuffer.allocate(1)); // reading changes nothing: allowed
            }
            pair.start();
            pair.primary.device().write(0, ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, pair.s.content()[0], "once started, the write reaches S");
        }
    }

    /**
     * Guest writes keep coming while a resynchronisation copies hundreds of dirty blocks over a "network"
     * that answers late and out of order: no older copy may overtake a newer write.
     */
    @Test
    void shouldResynchroniseWhileTheGuestWritesWithoutLosingAnyWrite() throws Exception {
        int size = 256 * DiskPair.BLOCK; // small, so that the guest's writes often hit blocks being copied
        java.util.concurrent.ExecutorService network = java.util.concurrent.Executors.newFixedThreadPool(8);
        try (DiskPair pair = new DiskPair(dir, size)) {
            pair.network = network;
            pair.start();
            java.util.Random random = new java.util.Random(3);
            for (int round = 0; round < 20; round++) {
                pair.reachable = false;
                pair.link.cut();
                for (int i = 0; i < 300; i++) { // degraded: every one of these blocks is marked dirty
                    write(pair, random, size);
                }
                pair.reachable = true;
                pair.primary.device().write(0, ByteBuffer.wrap(new byte[0]));
                while (pair.primary.status().degraded()) {
                    write(pair, random, size); // concurrent with the copy
                }
                assertArrayEquals(pair.primaryDisk.content(), pair.s.content(), "round " + round
                        + ": S is the primary's disk");
                assertEquals(0, pair.primaryDirty().dirtyBlocks());
            }
        } finally {
            network.shutdownNow();
        }
    }

    /**
     * A resynchronisation of more than {@link Resynchroniser#FLUSH_EVERY_BYTES} flushes the secondary on the way: a
     * guest's FLUSH meanwhile must not wait for the whole copy to reach the secondary's disk.
     */
    @Test
    void shouldFlushTheSecondaryDuringALongResynchronisation() throws Exception {
        int size = (int) (3 * Resynchroniser.FLUSH_EVERY_BYTES);
        try (DiskPair pair = new DiskPair(dir, size)) {
            pair.start();
            pair.reachable = false;
            pair.link.cut();
            byte[] data = new byte[1 << 20];
            java.util.Arrays.fill(data, (byte) 7);
            for (int offset = 0; offset < size; offset += data.length) { // degraded: every block dirty
                pair.primary.device().write(offset, ByteBuffer.wrap(data));
            }
            pair.reachable = true;
            pair.primary.device().write(0, ByteBuffer.wrap(new byte[0]));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (pair.primary.status().degraded() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, pair.primaryDirty().dirtyBlocks(), "resynchronised");
            long most = pair.link.mostUnflushedBytes();
            assertTrue(most > 0 && most <= Resynchroniser.FLUSH_EVERY_BYTES + Resynchroniser.MAX_RUN_BYTES,
                    "at most " + Resynchroniser.FLUSH_EVERY_BYTES + " bytes (and one run) between two FLUSHes of "
                    + size + " copied, not " + most);
        }
    }

    private static void write(DiskPair pair, java.util.Random random, int size) throws IOException {
        byte[] data = new byte[1 + random.nextInt(3 * DiskPair.BLOCK)];
        random.nextBytes(data);
        pair.primary.device().write(random.nextInt(size - data.length), ByteBuffer.wrap(data));
    }

    @Test
    void shouldRefuseOperationsOutsideTheirStagesNamingTheStage() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE)) {
            IllegalStateException early = assertThrows(IllegalStateException.class, pair.primary::checkpoint);
            assertTrue(early.getMessage().contains("NONE"), early.getMessage());
            ExecutionException noFailover = assertThrows(ExecutionException.class, () -> pair.secondary.failover().get());
            assertTrue(noFailover.getCause().getMessage().contains("NONE"), noFailover.getCause().getMessage());
            IOException refused = assertThrows(IOException.class,
                    () -> pair.secondary.replicaDevice().write(0, ByteBuffer.wrap(new byte[1])));
            assertTrue(refused.getMessage().contains("NONE"), refused.getMessage());

            pair.start();
            assertEquals(ReplicationStage.DONE, pair.secondary.failover().get());
            IOException afterFailover = assertThrows(IOException.class,
                    () -> pair.secondary.replicaDevice().write(0, ByteBuffer.wrap(new byte[1])));
            assertTrue(afterFailover.getMessage().contains("DONE"), "the old primary's writes are refused: "
                    + afterFailover.getMessage());
            assertThrows(IllegalStateException.class, () -> pair.secondary.adoptGeneration(0, 1));
        }
    }

    @Test
    void shouldReportTheFailoverCommitsProgressInBytesOfAAndH() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE)) {
            pair.start();
            assertEquals(CopyProgress.NONE, pair.secondary.commit(), "before any failover");
            // the primary writes block 0 (H keeps S's old block), the secondary's guest writes blocks 0 and 2 (A)
            pair.primary.device().write(0, ByteBuffer.wrap(new byte[DiskPair.BLOCK]));
            pair.secondary.device().write(0, ByteBuffer.wrap(new byte[10]));
            pair.secondary.device().write(2L * DiskPair.BLOCK, ByteBuffer.wrap(new byte[10]));

            assertEquals(ReplicationStage.DONE, pair.secondary.failover().get());

            CopyProgress commit = pair.secondary.commit();
            assertEquals(2L * DiskPair.BLOCK, commit.totalBytes(), "A's two blocks; H's one is overridden by A: " + commit);
            assertEquals(0, commit.remainingBytes());
            assertEquals(100, commit.percent());
        }
    }

    /**
     * The guest's durable write is one operation: a write with FUA, durable on the primary's disk (no FLUSH after it)
     * and made durable on S by the secondary before it answers; the secondary guest's durable write into A asks
     * nothing of any disk (A matters only at a failover, which forces it).
     */
    @Test
    void aDurableWriteIsOneFuaWriteAndNothingOnTheSecondarysGuestView() throws Exception {
        try (DiskPair pair = new DiskPair(dir, SIZE)) {
            pair.start();
            int primaryFlushes = pair.primaryDisk.flushes();
            int sDurable = pair.s.flushes() + pair.s.durableWrites();
            pair.primary.device().writeDurable(DiskPair.BLOCK, ByteBuffer.wrap(new byte[] {7, 8}));
            assertEquals(1, pair.primaryDisk.durableWrites());
            assertEquals(primaryFlushes, pair.primaryDisk.flushes(), "no FLUSH after it");
            assertEquals(sDurable + 1, pair.s.flushes() + pair.s.durableWrites(), "S made it durable");
            assertEquals(7, pair.s.content()[DiskPair.BLOCK]);
            pair.secondary.device().writeDurable(2L * DiskPair.BLOCK, ByteBuffer.wrap(new byte[] {9}));
            pair.secondary.device().flush();
            assertEquals(sDurable + 1, pair.s.flushes() + pair.s.durableWrites(),
                    "the secondary guest's writes into A ask no disk for durability");
            byte[] seen = new byte[1];
            pair.secondary.device().read(2L * DiskPair.BLOCK, ByteBuffer.wrap(seen));
            assertEquals(9, seen[0], "the secondary's guest reads its write from A");
        }
    }
}
