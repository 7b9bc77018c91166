package dev.colo.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirtyBitmapTest {
    private static final long SIZE = (1L << 30) + 1000; // 1 GiB and a short last block
    private static final int BLOCK = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldCreateACleanBitmapWithAHeader() throws Exception {
        Path file = dir.resolve("disk0.dirty");
        try (DirtyBitmap bitmap = DirtyBitmap.open(file, SIZE, BLOCK)) {
            assertEquals(16385, bitmap.blockCount());
            assertEquals(BLOCK, bitmap.blockBytes());
            assertEquals(0, bitmap.dirtyBlocks());
            assertEquals(-1, bitmap.nextDirty(0));
            assertEquals(file, bitmap.path());
        }
        assertEquals(DirtyBitmapHeader.BYTES + 257 * 8, Files.size(file));
        assertFalse(Files.exists(dir.resolve("disk0.dirty.tmp")));
    }

    @Test
    void shouldMarkEveryBlockARangeTouches() throws Exception {
        try (DirtyBitmap bitmap = DirtyBitmap.open(dir.resolve("d"), SIZE, BLOCK)) {
            bitmap.mark(BLOCK - 1, 2); // straddles blocks 0 and 1
            bitmap.mark(10L * BLOCK, BLOCK); // exactly block 10
            bitmap.mark(SIZE - 1, 1); // the short last block
            bitmap.mark(5L * BLOCK, 0); // nothing
            assertTrue(bitmap.isDirty(0) && bitmap.isDirty(1) && bitmap.isDirty(10) && bitmap.isDirty(16384));
            assertFalse(bitmap.isDirty(2) || bitmap.isDirty(5) || bitmap.isDirty(9) || bitmap.isDirty(11));
            assertEquals(4, bitmap.dirtyBlocks());
            assertEquals(3L * BLOCK + 1000, bitmap.dirtyBytes());
            assertEquals(0, bitmap.nextDirty(0));
            assertEquals(10, bitmap.nextDirty(2));
            assertEquals(16384, bitmap.nextDirty(11));
            assertEquals(-1, bitmap.nextDirty(16385));
            assertThrows(IllegalArgumentException.class, () -> bitmap.mark(SIZE, 1));
            assertThrows(IllegalArgumentException.class, () -> bitmap.mark(-1, 1));
        }
    }

    @Test
    void shouldKeepMarksAndClearsAcrossCloseAndOpen() throws Exception {
        Path file = dir.resolve("persist");
        try (DirtyBitmap bitmap = DirtyBitmap.open(file, SIZE, BLOCK)) {
            bitmap.mark(0, 3L * BLOCK);
            bitmap.mark(200L * BLOCK, 1);
            bitmap.clear(1);
            bitmap.force();
        }
        try (DirtyBitmap bitmap = DirtyBitmap.open(file, SIZE, BLOCK)) {
            assertEquals(3, bitmap.dirtyBlocks());
            assertTrue(bitmap.isDirty(0) && bitmap.isDirty(2) && bitmap.isDirty(200));
            assertFalse(bitmap.isDirty(1));
            bitmap.clearAll();
            assertEquals(0, bitmap.dirtyBlocks());
            bitmap.mark(7L * BLOCK, 1);
        }
        try (DirtyBitmap bitmap = DirtyBitmap.open(file, SIZE, BLOCK)) {
            assertEquals(1, bitmap.dirtyBlocks());
            assertEquals(7, bitmap.nextDirty(0));
        }
    }

    @Test
    void shouldHaveTheBitsInTheFileAsSoonAsMarkReturns() throws Exception {
        Path file = dir.resolve("live");
        try (DirtyBitmap writer = DirtyBitmap.open(file, SIZE, BLOCK)) {
            writer.mark(100L * BLOCK, 2L * BLOCK);
            try (DirtyBitmap reader = DirtyBitmap.open(file, SIZE, BLOCK)) {
                assertTrue(reader.isDirty(100) && reader.isDirty(101));
                assertEquals(DirtyBitmap.EXTENT_BLOCKS, reader.dirtyBlocks(), "the file holds the whole extent");
                assertEquals(-1, reader.nextDirty(DirtyBitmap.EXTENT_BLOCKS), "and nothing beyond it");
            }
            writer.clear(100);
            try (DirtyBitmap reader = DirtyBitmap.open(file, SIZE, BLOCK)) {
                assertFalse(reader.isDirty(100), "a clear is written, if not forced");
                assertTrue(reader.isDirty(101));
            }
        }
    }

    @Test
    void shouldNotWriteWhenMarkingDirtyBlocksAgain() throws Exception {
        Path file = dir.resolve("idem");
        try (DirtyBitmap bitmap = DirtyBitmap.open(file, SIZE, BLOCK)) {
            bitmap.mark(0, BLOCK);
            // scribble on the word in the file: a mark that wrote would repair it
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.allocate(8), DirtyBitmapHeader.BYTES);
            }
            bitmap.mark(0, BLOCK);
            try (DirtyBitmap reader = DirtyBitmap.open(file, SIZE, BLOCK)) {
                assertFalse(reader.isDirty(0), "marking a durably dirty block did no I/O");
            }
            bitmap.mark(BLOCK, 1);
            try (DirtyBitmap reader = DirtyBitmap.open(file, SIZE, BLOCK)) {
                assertFalse(reader.isDirty(0), "a new bit in an extent already durable does no I/O either");
            }
            bitmap.mark((long) DirtyBitmap.EXTENT_BLOCKS * BLOCK, 1);
            try (DirtyBitmap reader = DirtyBitmap.open(file, SIZE, BLOCK)) {
                assertTrue(reader.isDirty(DirtyBitmap.EXTENT_BLOCKS) && reader.isDirty(2L * DirtyBitmap.EXTENT_BLOCKS - 1),
                        "a bit in a new extent writes the whole extent");
            }
        }
        try (DirtyBitmap reader = DirtyBitmap.open(file, SIZE, BLOCK)) {
            assertEquals(3, reader.dirtyBlocks(), "closed, the file holds the exact bits");
        }
    }

    @Test
    void shouldSurviveAKillRightAfterMark() throws Exception {
        Path file = dir.resolve("crash");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DirtyBitmapCrashMain.class.getName(), file.toString(), String.valueOf(SIZE), String.valueOf(BLOCK),
                "0", "1", String.valueOf(5000L * BLOCK), String.valueOf(3L * BLOCK), String.valueOf(SIZE - 10), "10")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertEquals("MARKED", line, "child output");
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        }
        try (DirtyBitmap bitmap = DirtyBitmap.open(file, SIZE, BLOCK)) {
            List<Long> dirty = new ArrayList<>();
            for (long block = bitmap.nextDirty(0); block >= 0; block = bitmap.nextDirty(block + 1)) {
                dirty.add(block);
            }
            // every marked block is there, with the rest of its extent: at most a larger resynchronisation
            List<Long> expected = new ArrayList<>();
            for (long extentStart : List.of(0L, 4096L)) {
                for (long block = extentStart; block < extentStart + DirtyBitmap.EXTENT_BLOCKS; block++) {
                    expected.add(block);
                }
            }
            expected.add(16384L); // the last extent holds only the short last block
            assertEquals(expected, dirty);
        }
    }

    @Test
    void shouldNameTheFileAndTheDifferenceOnAMismatchedHeader() throws Exception {
        Path file = dir.resolve("mismatch");
        DirtyBitmap.open(file, SIZE, BLOCK).close();
        IOException size = assertThrows(IOException.class, () -> DirtyBitmap.open(file, 2 * SIZE, BLOCK));
        assertTrue(size.getMessage().contains(file.toString()), size.getMessage());
        assertTrue(size.getMessage().contains("disk of " + SIZE + " bytes, this disk has " + 2 * SIZE),
                size.getMessage());
        IOException block = assertThrows(IOException.class, () -> DirtyBitmap.open(file, SIZE, 2 * BLOCK));
        assertTrue(block.getMessage().contains(file.toString()) && block.getMessage().contains(
                String.valueOf(BLOCK)), block.getMessage());

        Path foreign = dir.resolve("foreign");
        Files.write(foreign, new byte[DirtyBitmapHeader.BYTES + 257 * 8]);
        IOException magic = assertThrows(IOException.class, () -> DirtyBitmap.open(foreign, SIZE, BLOCK));
        assertTrue(magic.getMessage().contains(foreign.toString()) && magic.getMessage().contains("magic"),
                magic.getMessage());

        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[3]);
        assertThrows(IOException.class, () -> DirtyBitmap.open(tiny, SIZE, BLOCK));

        Path truncated = dir.resolve("truncated");
        DirtyBitmap.open(truncated, SIZE, BLOCK).close();
        byte[] content = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(content, content.length - 8));
        IOException shortFile = assertThrows(IOException.class, () -> DirtyBitmap.open(truncated, SIZE, BLOCK));
        assertTrue(shortFile.getMessage().contains(truncated.toString()), shortFile.getMessage());
    }

    @Test
    void shouldRefuseStrayBitsBeyondTheLastBlock() throws Exception {
        Path file = dir.resolve("stray");
        DirtyBitmap.open(file, SIZE, BLOCK).close();
        byte[] content = Files.readAllBytes(file);
        content[content.length - 8] = (byte) 0x80; // the top bit of the last word: block 16447 of 16385
        Files.write(file, content);
        IOException e = assertThrows(IOException.class, () -> DirtyBitmap.open(file, SIZE, BLOCK));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void shouldKeepEveryConcurrentMarkDurable() throws Exception {
        Path file = dir.resolve("concurrent");
        int threads = 8;
        int marksEach = 200;
        try (DirtyBitmap bitmap = DirtyBitmap.open(file, SIZE, BLOCK)) {
            Concurrently.run(threads, thread -> {
                for (int i = 0; i < marksEach; i++) {
                    bitmap.mark(((long) i * threads + thread) * BLOCK, 1);
                }
            });
            assertEquals((long) threads * marksEach, bitmap.dirtyBlocks());
            try (DirtyBitmap reader = DirtyBitmap.open(file, SIZE, BLOCK)) {
                for (long block = 0; block < (long) threads * marksEach; block++) {
                    assertTrue(reader.isDirty(block), "block " + block);
                }
                assertEquals(2L * DirtyBitmap.EXTENT_BLOCKS, reader.dirtyBlocks(), "the two extents written");
            }
        }
    }

    @Test
    void shouldMarkAWholeBitmapOfBlocksDurablyAtOnce() throws Exception {
        Path file = dir.resolve("disk0.dirty");
        try (DirtyBitmap bitmap = DirtyBitmap.open(file, SIZE, BLOCK)) {
            long[] words = new long[(int) ((bitmap.blockCount() + 63) / 64)];
            words[0] = 0b1010;
            words[words.length - 1] = 1L; // block 16384, the short last one
            bitmap.mark(0, 1);
            bitmap.markAll(words);
            assertEquals(4, bitmap.dirtyBlocks());
            try (DirtyBitmap second = DirtyBitmap.open(file, SIZE, BLOCK)) {
                assertTrue(second.isDirty(0));
                assertTrue(second.isDirty(1));
                assertFalse(second.isDirty(2));
                assertTrue(second.isDirty(3));
                assertTrue(second.isDirty(16384));
            }
            assertThrows(IllegalArgumentException.class, () -> bitmap.markAll(new long[1]));
        }
    }

    @Test
    void shouldClearAllDurably() throws Exception {
        Path file = dir.resolve("all");
        try (DirtyBitmap bitmap = DirtyBitmap.open(file, SIZE, BLOCK)) {
            bitmap.mark(0, SIZE);
            assertEquals(bitmap.blockCount(), bitmap.dirtyBlocks());
            assertEquals(SIZE, bitmap.dirtyBytes());
            bitmap.clearAll();
            assertEquals(0, bitmap.dirtyBytes());
            try (DirtyBitmap reader = DirtyBitmap.open(file, SIZE, BLOCK)) {
                assertEquals(0, reader.dirtyBlocks());
            }
            bitmap.mark(0, 1);
            try (DirtyBitmap reader = DirtyBitmap.open(file, SIZE, BLOCK)) {
                assertTrue(reader.isDirty(0), "marks after clearAll are written again");
            }
        }
    }
}
