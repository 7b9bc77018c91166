package dev.colo.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlockDeviceTest {
    @TempDir
    Path dir;

    @Test
    void shouldCreateASparseFileOfTheConfiguredSize() throws Exception {
        Path file = dir.resolve("new.img");
        long size = 1L << 30;
        try (FileBlockDevice device = FileBlockDevice.open(file, size, false)) {
            assertEquals(size, device.sizeBytes());
            assertEquals(size, Files.size(file));
            assertEquals(file, device.path());
            assertFalse(device.readOnly());
            ByteBuffer tail = ByteBuffer.allocate(4096);
            device.read(size - 4096, tail);
            assertArrayEquals(new byte[4096], tail.array());
        }
    }

    @Test
    void shouldWriteAndReadAcrossChunkBoundariesAndReuseBuffers() throws Exception {
        byte[] data = new byte[3 * FileBlockDevice.CHUNK_BYTES + 77];
        new SplittableRandom(3).nextBytes(data);
        try (FileBlockDevice device = FileBlockDevice.open(dir.resolve("d.img"), 8L << 20, false)) {
            ByteBuffer src = ByteBuffer.wrap(data);
            device.write(12345, src);
            assertFalse(src.hasRemaining(), "write consumes its buffer");
            ByteBuffer back = ByteBuffer.allocate(data.length);
            device.read(12345, back);
            assertArrayEquals(data, back.array());
            ByteBuffer direct = ByteBuffer.allocateDirect(100);
            device.read(12345, direct);
            assertEquals(data[99], direct.get(99));
            assertEquals(1, device.pooledBuffers(), "one pooled buffer served every chunk");
            device.flush();
        }
    }

    @Test
    void shouldWriteFromADirectBufferAndSeeItAfterReopening() throws Exception {
        Path file = dir.resolve("direct.img");
        ByteBuffer src = ByteBuffer.allocateDirect(4096);
        for (int i = 0; i < 4096; i++) {
            src.put((byte) i);
        }
        try (FileBlockDevice device = FileBlockDevice.open(file, 1 << 20, false)) {
            device.write(8192, src.flip());
            device.flush();
        }
        try (FileBlockDevice device = FileBlockDevice.open(file, 0, true)) {
            assertEquals(1 << 20, device.sizeBytes());
            ByteBuffer back = ByteBuffer.allocate(4096);
            device.read(8192, back);
            assertEquals((byte) 4095, back.get(4095));
            assertEquals((byte) 1, back.get(1));
        }
    }

    @Test
    void shouldWriteZeroesAndKeepDataOnTrim() throws Exception {
        byte[] data = new byte[3 << 20];
        Arrays.fill(data, (byte) 7);
        try (FileBlockDevice device = FileBlockDevice.open(dir.resolve("z.img"), 4L << 20, false)) {
            device.write(0, ByteBuffer.wrap(data));
            device.writeZeroes(100, (2 << 20) + 1);
            device.trim(0, 4096);
            ByteBuffer back = ByteBuffer.allocate(data.length);
            device.read(0, back);
            Arrays.fill(data, 100, 100 + (2 << 20) + 1, (byte) 0);
            assertArrayEquals(data, back.array());
        }
    }

    @Test
    void shouldRefuseRangesOutsideTheDevice() throws Exception {
        try (FileBlockDevice device = FileBlockDevice.open(dir.resolve("r.img"), 4096, false)) {
            assertThrows(IllegalArgumentException.class, () -> device.read(4000, ByteBuffer.allocate(100)));
            assertThrows(IllegalArgumentException.class, () -> device.write(-1, ByteBuffer.allocate(1)));
            assertThrows(IllegalArgumentException.class, () -> device.writeZeroes(1, 4096));
            assertThrows(IllegalArgumentException.class, () -> device.trim(0, 4097));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> device.read(Long.MAX_VALUE, ByteBuffer.allocate(2)));
            assertTrue(e.getMessage().contains("r.img"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> FileBlockDevice.open(dir.resolve("n.img"), -1, false));
    }

    @Test
    void shouldOpenReadOnlyWithTheExistingSizeAndRefuseWrites() throws Exception {
        Path file = dir.resolve("ro.img");
        Files.write(file, new byte[] {1, 2, 3, 4, 5});
        try (FileBlockDevice device = FileBlockDevice.open(file, 0, true)) {
            assertEquals(5, device.sizeBytes());
            assertTrue(device.readOnly());
            assertThrows(NonWritableChannelException.class, () -> device.write(0, ByteBuffer.allocate(1)));
            assertThrows(NonWritableChannelException.class, () -> device.writeZeroes(0, 1));
            assertThrows(NonWritableChannelException.class, () -> device.trim(0, 1));
            device.flush(); // nothing to flush, no failure
        }
        assertThrows(IOException.class, () -> FileBlockDevice.open(dir.resolve("missing.img"), 0, false));
        assertThrows(IOException.class, () -> FileBlockDevice.open(dir.resolve("missing.img"), 10, true));
        assertThrows(IOException.class, () -> FileBlockDevice.open(file, 10, true), "too short and read-only");
        assertFalse(Files.exists(dir.resolve("missing.img")));
    }

    @Test
    void shouldExtendAShorterFileAndKeepItsData() throws Exception {
        Path file = dir.resolve("grow.img");
        Files.write(file, new byte[] {9, 9});
        try (FileBlockDevice device = FileBlockDevice.open(file, 1 << 20, false)) {
            ByteBuffer head = ByteBuffer.allocate(3);
            device.read(0, head);
            assertArrayEquals(new byte[] {9, 9, 0}, head.array());
        }
        assertEquals(1 << 20, Files.size(file));
    }

    @Test
    void shouldShowOnlyTheConfiguredPrefixOfALongerFile() throws Exception {
        Path file = dir.resolve("long.img");
        Files.write(file, new byte[8192]);
        try (FileBlockDevice device = FileBlockDevice.open(file, 4096, false)) {
            assertEquals(4096, device.sizeBytes());
            assertThrows(IllegalArgumentException.class, () -> device.read(4096, ByteBuffer.allocate(1)));
        }
        assertEquals(8192, Files.size(file), "a longer file keeps its size");
    }

    @Test
    void shouldReadZeroesPastTheEndOfAFileShrunkMeanwhile() throws Exception {
        Path file = dir.resolve("shrunk.img");
        try (FileBlockDevice device = FileBlockDevice.open(file, 8192, false)) {
            device.write(0, ByteBuffer.wrap(new byte[] {5, 5, 5, 5}));
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(2);
            }
            ByteBuffer back = ByteBuffer.allocate(8192);
            device.read(0, back);
            assertEquals(5, back.get(1));
            assertEquals(0, back.get(2));
            device.writeZeroes(0, 8192);
            assertEquals(2, Files.size(file), "zeroes past the end are not written");
        }
    }

    @Test
    void shouldFailIoAfterClose() throws Exception {
        FileBlockDevice device = FileBlockDevice.open(dir.resolve("c.img"), 4096, false);
        device.close();
        assertThrows(ClosedChannelException.class, () -> device.read(0, ByteBuffer.allocateDirect(1)));
    }
}
