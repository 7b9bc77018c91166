package dev.colo.nbd.client.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.client.NbdClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The same behaviour checks against every real server. */
final class InteropChecks {
    private InteropChecks() {
    }

    static byte[] pattern(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    static Throwable failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
        return e.getCause();
    }

    static void writeAndReadBack(NbdClient client) throws Exception {
        long size = client.export().sizeBytes();
        long[] offsets = {0, 4096, 1_000_003, size - 70_001, size - 1};
        int[] lengths = {4096, 65536, 12_345, 70_001, 1};
        for (int i = 0; i < offsets.length; i++) {
            byte[] data = pattern(lengths[i], i);
            get(client.write(offsets[i], data, i % 2 == 0 && client.export().canFua()));
            assertArrayEquals(data, get(client.read(offsets[i], lengths[i])), "read back at " + offsets[i]);
        }
        java.nio.ByteBuffer into = java.nio.ByteBuffer.allocate(1);
        get(client.read(size - 1, into));
        assertEquals(pattern(1, 4)[0], into.array()[0], "last byte through a ByteBuffer");
    }

    static void pipelined(NbdClient client, int requests) throws Exception {
        int block = 8192;
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            writes.add(client.write(8L * 1024 * 1024 + (long) i * block, pattern(block, 100 + i), false));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        List<CompletableFuture<byte[]>> reads = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            reads.add(client.read(8L * 1024 * 1024 + (long) i * block, block));
        }
        for (int i = 0; i < requests; i++) {
            assertArrayEquals(pattern(block, 100 + i), get(reads.get(i)), "pipelined read " + i);
        }
    }

    static void flushTrimZeroes(NbdClient client) throws Exception {
        get(client.flush());
        long at = 20L * 1024 * 1024;
        get(client.write(at, pattern(65536, 7), false));
        get(client.writeZeroes(at + 100, 1000, false));
        byte[] back = get(client.read(at, 65536));
        byte[] expected = pattern(65536, 7);
        java.util.Arrays.fill(expected, 100, 1100, (byte) 0);
        assertArrayEquals(expected, back, "write-zeroes in the middle of a pattern");
        get(client.writeZeroes(at, 65536, true));
        assertArrayEquals(new byte[65536], get(client.read(at, 65536)), "write-zeroes NO_HOLE");
        if (client.export().canTrim()) {
            get(client.trim(at, 65536)); // content after a trim is unspecified: only the reply is checked
        }
        get(client.flush());
    }

    static void outOfRangeRefused(NbdClient client) {
        long size = client.export().sizeBytes();
        assertInstanceOf(IllegalArgumentException.class, failure(client.read(size - 1, 2)));
        assertInstanceOf(IllegalArgumentException.class, failure(client.read(size, 1)));
        assertInstanceOf(IllegalArgumentException.class, failure(client.write(-1, new byte[1], false)));
        assertInstanceOf(IllegalArgumentException.class, failure(client.read(0, 32 * 1024 * 1024 + 1)));
        assertInstanceOf(IllegalArgumentException.class, failure(client.writeZeroes(size - 10, 11, false)));
        assertEquals(0, client.inFlight());
    }
}
