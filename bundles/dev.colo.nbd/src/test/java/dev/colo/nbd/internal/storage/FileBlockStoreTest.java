package dev.colo.nbd.internal.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlockStoreTest {
    @TempDir
    Path dir;

    @Test
    void shouldCreateASparseFileOfTheConfiguredSize() throws Exception {
        Path file = dir.resolve("new.img");
        long size = 1L << 30;
        try (FileBlockStore store = FileBlockStore.open(file, size, false)) {
            assertEquals(size, store.sizeBytes());
            assertEquals(size, Files.size(file));
            ByteBuffer tail = ByteBuffer.allocate(4096);
            store.read(size - 4096, tail);
            assertArrayEquals(new byte[4096], tail.array());
        }
    }

    @Test
    void shouldWriteAndReadAcrossChunkBoundariesAndReuseBuffers() throws Exception {
        byte[] data = new byte[3 * FileBlockStore.CHUNK_BYTES + 77];
        new SplittableRandom(3).nextBytes(data);
        try (FileBlockStore store = FileBlockStore.open(dir.resolve("d.img"), 8L << 20, false)) {
            store.write(12345, ByteBuffer.wrap(data));
            ByteBuffer back = ByteBuffer.allocate(data.length);
            store.read(12345, back);
            assertArrayEquals(data, back.array());
            ByteBuffer direct = ByteBuffer.allocateDirect(100);
            store.read(12345, direct);
            assertEquals(data[99], direct.get(99));
            assertEquals(1, store.pooledBuffers(), "one pooled buffer served every chunk");
            store.flush();
        }
    }

    @Test
    void shouldWriteZeroesAndKeepDataOnTrim() throws Exception {
        byte[] data = new byte[3 << 20];
        Arrays.fill(data, (byte) 7);
        try (FileBlockStore store = FileBlockStore.open(dir.resolve("z.img"), 4L << 20, false)) {
            store.write(0, ByteBuffer.wrap(data));
            store.writeZeroes(100, (2 << 20) + 1);
            store.trim(0, 4096);
            ByteBuffer back = ByteBuffer.allocate(data.length);
            store.read(0, back);
            Arrays.fill(data, 100, 100 + (2 << 20) + 1, (byte) 0);
            assertArrayEquals(data, back.array());
        }
    }

    @Test
    void shouldRefuseRangesOutsideTheStore() throws Exception {
        try (FileBlockStore store = FileBlockStore.open(dir.resolve("r.img"), 4096, false)) {
            assertThrows(IllegalArgumentException.class, () -> store.read(4000, ByteBuffer.allocate(100)));
            assertThrows(IllegalArgumentException.class, () -> store.write(-1, ByteBuffer.allocate(1)));
            assertThrows(IllegalArgumentException.class, () -> store.writeZeroes(1, 4096));
        }
    }

    @Test
    void shouldOpenReadOnlyWithTheExistingSizeAndRefuseWrites() throws Exception {
        Path file = dir.resolve("ro.img");
        Files.write(file, new byte[] {1, 2, 3, 4, 5});
        try (FileBlockStore store = FileBlockStore.open(file, 0, true)) {
            assertEquals(5, store.sizeBytes());
            assertTrue(store.readOnly());
            assertThrows(NonWritableChannelException.class, () -> store.write(0, ByteBuffer.allocate(1)));
            store.flush(); // nothing to flush, no failure
        }
        assertThrows(IOException.class, () -> FileBlockStore.open(dir.resolve("missing.img"), 0, false));
        assertThrows(IOException.class, () -> FileBlockStore.open(dir.resolve("missing.img"), 10, true));
        assertThrows(IOException.class, () -> FileBlockStore.open(file, 10, true), "too short and read-only");
    }

    @Test
    void shouldExtendAShorterFileAndKeepItsData() throws Exception {
        Path file = dir.resolve("grow.img");
        Files.write(file, new byte[] {9, 9});
        try (FileBlockStore store = FileBlockStore.open(file, 1 << 20, false)) {
            ByteBuffer head = ByteBuffer.allocate(3);
            store.read(0, head);
            assertArrayEquals(new byte[] {9, 9, 0}, head.array());
        }
        assertEquals(1 << 20, Files.size(file));
    }
}
