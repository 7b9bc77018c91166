package dev.colo.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayTest {
    private static final int BLOCK = 4096;

    @TempDir
    Path dir;

    @Test
    void shouldReopenAFileKeepingItsContentWithAnAllocationRestored() throws Exception {
        Path file = dir.resolve("hidden.ovl");
        long[] snapshot;
        try (Overlay overlay = Overlay.create(file, 16 * BLOCK, BLOCK)) {
            overlay.write(3 * BLOCK, ByteBuffer.wrap(filled(BLOCK, 7)));
            overlay.write(9 * BLOCK, ByteBuffer.wrap(filled(2 * BLOCK, 8)));
            snapshot = overlay.allocationSnapshot();
            assertEquals(3, overlay.nextAllocated(0));
            assertEquals(9, overlay.nextAllocated(4));
            assertEquals(10, overlay.nextAllocated(10));
            assertEquals(-1, overlay.nextAllocated(11));
            assertEquals(-1, overlay.nextAllocated(16));
        }
        try (Overlay reopened = Overlay.open(file, 16 * BLOCK, BLOCK)) {
            assertEquals(0, reopened.allocatedBlocks(), "allocation is not guessed from the file");
            reopened.restoreAllocation(snapshot);
            assertEquals(3, reopened.allocatedBlocks());
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            reopened.read(9 * BLOCK, block);
            assertArrayEquals(filled(BLOCK, 8), block.array());
        }
        IOException wrongSize = assertThrows(IOException.class, () -> Overlay.open(file, 17 * BLOCK, BLOCK));
        assertTrue(wrongSize.getMessage().contains(file.toString()), wrongSize.getMessage());
        assertThrows(IOException.class, () -> Overlay.open(dir.resolve("missing.ovl"), BLOCK, BLOCK));
    }

    @Test
    void shouldStartEmptyAndSparseAndTruncateAnOldFile() throws Exception {
        Path file = dir.resolve("active.ovl");
        Files.write(file, filled(3 * BLOCK, 9));
        try (Overlay overlay = Overlay.create(file, 1L << 20, BLOCK)) {
            assertEquals(1L << 20, Files.size(file));
            assertEquals(file, overlay.path());
            assertEquals(256, overlay.blockCount());
            assertEquals(0, overlay.allocatedBlocks());
            assertFalse(overlay.isAllocated(0));
            ByteBuffer head = ByteBuffer.allocate(BLOCK);
            overlay.read(0, head);
            assertArrayEquals(new byte[BLOCK], head.array(), "the old content is gone");
        }
    }

    @Test
    void shouldAllocateTheWrittenBlocksAndReadThemBack() throws Exception {
        try (Overlay overlay = Overlay.create(dir.resolve("o"), 1L << 20, BLOCK)) {
            byte[] data = filled(2 * BLOCK, 5);
            overlay.write(3 * BLOCK, ByteBuffer.wrap(data));
            assertTrue(overlay.isAllocated(3) && overlay.isAllocated(4));
            assertFalse(overlay.isAllocated(2) || overlay.isAllocated(5));
            assertEquals(2, overlay.allocatedBlocks());
            assertEquals(2 * BLOCK, overlay.allocatedBytes());
            ByteBuffer back = ByteBuffer.allocate(4 * BLOCK);
            overlay.read(2 * BLOCK, back);
            byte[] expected = new byte[4 * BLOCK];
            System.arraycopy(data, 0, expected, BLOCK, data.length);
            assertArrayEquals(expected, back.array(), "unallocated blocks read as zeroes");
            overlay.write(3 * BLOCK, ByteBuffer.allocateDirect(BLOCK));
            assertEquals(2, overlay.allocatedBlocks(), "rewriting does not count twice");
            overlay.force();
        }
    }

    @Test
    void shouldRefuseUnalignedOrPartialWritesNamingOffsetAndLength() throws Exception {
        try (Overlay overlay = Overlay.create(dir.resolve("o"), 1L << 20, BLOCK)) {
            IllegalArgumentException unaligned = assertThrows(IllegalArgumentException.class,
                    () -> overlay.write(100, ByteBuffer.allocate(BLOCK)));
            assertTrue(unaligned.getMessage().contains("offset 100"), unaligned.getMessage());
            IllegalArgumentException partial = assertThrows(IllegalArgumentException.class,
                    () -> overlay.write(BLOCK, ByteBuffer.allocate(BLOCK + 1)));
            assertTrue(partial.getMessage().contains(String.valueOf(BLOCK + 1)), partial.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> overlay.write((1L << 20) - BLOCK, ByteBuffer.allocate(2 * BLOCK)), "past the end");
            assertThrows(IllegalArgumentException.class, () -> overlay.write(-BLOCK, ByteBuffer.allocate(BLOCK)));
            assertThrows(IllegalArgumentException.class, () -> overlay.read(1L << 20, ByteBuffer.allocate(1)));
            assertEquals(0, overlay.allocatedBlocks(), "a refused write allocates nothing");
        }
        assertThrows(IllegalArgumentException.class, () -> Overlay.create(dir.resolve("b"), 4096, 1000));
        assertThrows(IllegalArgumentException.class, () -> Overlay.create(dir.resolve("b"), 4096, 256));
    }

    @Test
    void shouldTakeAShortLastBlock() throws Exception {
        long size = 10 * BLOCK + 100;
        try (Overlay overlay = Overlay.create(dir.resolve("short"), size, BLOCK)) {
            assertEquals(11, overlay.blockCount());
            assertEquals(100, overlay.blockLength(10));
            assertEquals(BLOCK, overlay.blockLength(9));
            assertEquals(10, overlay.blockOf(size - 1));
            assertEquals(10L * BLOCK, overlay.blockOffset(10));
            assertThrows(IllegalArgumentException.class,
                    () -> overlay.write(10L * BLOCK, ByteBuffer.allocate(BLOCK)), "beyond the end");
            assertThrows(IllegalArgumentException.class,
                    () -> overlay.write(10L * BLOCK, ByteBuffer.allocate(99)), "short of the end");
            overlay.write(9L * BLOCK, ByteBuffer.wrap(filled(BLOCK + 100, 3)));
            assertTrue(overlay.isAllocated(9) && overlay.isAllocated(10));
            assertEquals(BLOCK + 100, overlay.allocatedBytes());
            ByteBuffer tail = ByteBuffer.allocate(100);
            overlay.read(10L * BLOCK, tail);
            assertArrayEquals(filled(100, 3), tail.array());
            assertEquals(size, Files.size(overlay.path()));
        }
    }

    @Test
    void shouldDropEverythingOnEmptyAndFreeTheSpaceWhenCreatedAgain() throws Exception {
        long size = 64L << 20;
        try (Overlay overlay = Overlay.create(dir.resolve("big"), size, 64 * 1024)) {
            overlay.write(0, ByteBuffer.wrap(filled(64 * 1024, 1)));
            overlay.write(size / 2, ByteBuffer.wrap(filled(2 * 64 * 1024, 2)));
            overlay.write(size - 64 * 1024, ByteBuffer.wrap(filled(64 * 1024, 3)));
            assertEquals(4, overlay.allocatedBlocks());
            overlay.empty();
            assertEquals(0, overlay.allocatedBlocks());
            assertEquals(0, overlay.allocatedBytes());
            List<Long> visited = new ArrayList<>();
            overlay.forEachAllocated(visited::add);
            assertEquals(List.of(), visited);
            overlay.write(64 * 1024, ByteBuffer.wrap(filled(64 * 1024, 4)));
            assertEquals(1, overlay.allocatedBlocks(), "usable again after empty");
        }
        try (Overlay overlay = Overlay.create(dir.resolve("big"), size, 64 * 1024)) {
            assertEquals(size, Files.size(overlay.path()));
            for (long offset : new long[] {0, size / 2, size / 2 + 64 * 1024, size - 64 * 1024}) {
                ByteBuffer back = ByteBuffer.allocate(64 * 1024);
                overlay.read(offset, back);
                assertArrayEquals(new byte[64 * 1024], back.array(), "data at " + offset + " is gone");
            }
        }
    }

    @Test
    void shouldVisitOnlyTheAllocatedBlocksOfAHugeOverlayQuickly() throws Exception {
        long size = 1L << 40;
        int block = 64 * 1024;
        try (Overlay overlay = Overlay.create(dir.resolve("huge"), size, block)) {
            long[] blocks = {7, overlay.blockCount() / 2, overlay.blockCount() - 1};
            for (int i = blocks.length - 1; i >= 0; i--) {
                overlay.write(overlay.blockOffset(blocks[i]), ByteBuffer.wrap(filled(block, i + 1)));
            }
            List<Long> visited = new ArrayList<>();
            assertTimeoutPreemptively(Duration.ofMillis(500), () -> {
                for (int round = 0; round < 100; round++) {
                    visited.clear();
                    overlay.forEachAllocated(visited::add);
                }
            });
            assertEquals(Arrays.stream(blocks).boxed().toList(), visited);
            assertTimeoutPreemptively(Duration.ofSeconds(2), overlay::empty);
            assertEquals(0, overlay.allocatedBlocks());
        }
    }

    @Test
    void shouldRoundTripAnAllocationSnapshot() throws Exception {
        try (Overlay first = Overlay.create(dir.resolve("a"), 1L << 20, BLOCK);
                Overlay second = Overlay.create(dir.resolve("b"), 1L << 20, BLOCK)) {
            first.write(0, ByteBuffer.allocate(BLOCK));
            first.write(70L * BLOCK, ByteBuffer.allocate(3 * BLOCK));
            long[] words = first.allocationSnapshot();
            second.write(200L * BLOCK, ByteBuffer.allocate(BLOCK));
            second.restoreAllocation(words);
            assertEquals(4, second.allocatedBlocks());
            assertFalse(second.isAllocated(200), "restore replaces, it does not merge");
            List<Long> visited = new ArrayList<>();
            second.forEachAllocated(visited::add);
            assertEquals(List.of(0L, 70L, 71L, 72L), visited);
            words[0] = 0;
            assertTrue(second.isAllocated(0), "the snapshot is a copy");
            try (Overlay other = Overlay.create(dir.resolve("c"), 1L << 30, BLOCK)) {
                assertThrows(IllegalArgumentException.class, () -> other.restoreAllocation(words));
            }
        }
    }

    @Test
    void shouldKeepEveryBlockOfConcurrentWriters() throws Exception {
        int threads = 8;
        int blocksEach = 64;
        try (Overlay overlay = Overlay.create(dir.resolve("c"), (long) threads * blocksEach * BLOCK, BLOCK)) {
            Concurrently.run(threads, thread -> {
                // interleaved blocks, so neighbours in one bitmap word belong to different threads
                for (int i = 0; i < blocksEach; i++) {
                    long block = (long) i * threads + thread;
                    overlay.write(overlay.blockOffset(block), ByteBuffer.wrap(filled(BLOCK, thread + 1)));
                }
            });
            assertEquals((long) threads * blocksEach, overlay.allocatedBlocks());
            for (long block = 0; block < overlay.blockCount(); block++) {
                assertTrue(overlay.isAllocated(block), "block " + block);
                ByteBuffer back = ByteBuffer.allocate(BLOCK);
                overlay.read(overlay.blockOffset(block), back);
                assertArrayEquals(filled(BLOCK, (int) (block % threads) + 1), back.array(), "block " + block);
            }
        }
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
