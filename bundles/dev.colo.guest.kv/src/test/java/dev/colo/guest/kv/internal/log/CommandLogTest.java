package dev.colo.guest.kv.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.storage.BlockDevice;
import dev.colo.guest.kv.internal.store.Mutation;
import dev.colo.storage.FileBlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLogTest {
    @TempDir
    Path dir;

    private static Mutation put(String key, String value) {
        return new Mutation.Put(key, value.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** What the log replays, as the store would see it. */
    private static Map<String, String> replay(BlockDevice device) throws IOException {
        Map<String, String> data = new LinkedHashMap<>();
        CommandLog.open(device, mutation -> {
            if (mutation instanceof Mutation.Put p) {
                data.put(p.key(), new String(p.value(), StandardCharsets.UTF_8));
            } else {
                data.remove(mutation.key());
            }
        });
        return data;
    }

    @Test
    void everyAppendedChangeIsReplayedAfterAReopen() throws IOException {
        try (FileBlockDevice device = FileBlockDevice.open(dir.resolve("disk.img"), 1 << 20, false)) {
            CommandLog log = CommandLog.open(device, m -> { });
            log.append(List.of(put("a", "1"), put("b", "2")));
            log.append(List.of(new Mutation.Delete("a")));
            log.append(List.of(put("c", "3")));
            assertEquals(Map.of("b", "2", "c", "3"), replay(device));
        }
    }

    /** A replay reads the log in large pieces, records that straddle them and records larger than one included. */
    @Test
    void aLongLogIsReplayedWholeInFewReads() throws IOException {
        try (FileBlockDevice file = FileBlockDevice.open(dir.resolve("disk.img"), 32 << 20, false)) {
            CommandLog log = CommandLog.open(file, m -> { });
            Map<String, String> expected = new LinkedHashMap<>();
            for (int i = 0; i < 20_000; i++) {
                String value = i == 7_000 ? "x".repeat(3 << 19) : "value-" + i; // one record of 1.5 MiB
                log.append(List.of(put("key-" + (i % 5_000), value)));
                expected.put("key-" + (i % 5_000), value);
            }
            int[] reads = {0};
            BlockDevice counted = (BlockDevice) java.lang.reflect.Proxy.newProxyInstance(
                    BlockDevice.class.getClassLoader(), new Class<?>[] {BlockDevice.class}, (proxy, method, args) -> {
                        if (method.getName().equals("read")) {
                            reads[0]++;
                        }
                        try {
                            return method.invoke(file, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            assertEquals(expected, replay(counted));
            assertTrue(reads[0] < 20, "the log was read in " + reads[0] + " device reads");
            assertEquals(log.position(), CommandLog.open(file, m -> { }).position());
        }
    }

    @Test
    void aTornLastRecordIsNotReplayedAndTheLogGoesOnBeforeIt() throws IOException {
        try (FileBlockDevice device = FileBlockDevice.open(dir.resolve("disk.img"), 1 << 20, false)) {
            CommandLog log = CommandLog.open(device, m -> { });
            log.append(List.of(put("kept", "yes")));
            long tornAt = 2L * CommandLog.SUPERBLOCK_BYTES + log.usedBytes();
            log.append(List.of(put("torn", "half-written")));
            device.write(tornAt + CommandLog.HEADER_BYTES + 3, ByteBuffer.wrap(new byte[] {0x55}));
            assertEquals(Map.of("kept", "yes"), replay(device));
            CommandLog reopened = CommandLog.open(device, m -> { });
            reopened.append(List.of(put("after", "crash")));
            assertEquals(Map.of("kept", "yes", "after", "crash"), replay(device));
        }
    }

    @Test
    void aReopenedLogIsAtThePositionItReachedAndATornRecordPutsItBefore() throws IOException {
        try (FileBlockDevice device = FileBlockDevice.open(dir.resolve("disk.img"), 1 << 20, false)) {
            CommandLog log = CommandLog.open(device, m -> { });
            log.append(List.of(put("a", "1")));
            CommandLog.Position first = log.position();
            long tornAt = 2L * CommandLog.SUPERBLOCK_BYTES + log.usedBytes();
            log.append(List.of(put("b", "2")));
            CommandLog.Position reached = log.position();
            assertTrue(first.isBefore(reached));
            assertEquals(reached, CommandLog.open(device, m -> { }).position());
            device.write(tornAt + CommandLog.HEADER_BYTES + 1, ByteBuffer.wrap(new byte[] {0x55}));
            CommandLog.Position recovered = CommandLog.open(device, m -> { }).position();
            assertTrue(recovered.isBefore(reached), recovered + " before " + reached);
            assertFalse(reached.isBefore(recovered));
        }
    }

    @Test
    void aFullRegionIsCompactedIntoTheOtherAndNothingIsLost() throws IOException {
        try (FileBlockDevice device = FileBlockDevice.open(dir.resolve("disk.img"), 256 * 1024, false)) {
            CommandLog log = CommandLog.open(device, m -> { });
            Map<String, String> expected = new LinkedHashMap<>();
            String value = "v".repeat(1000);
            for (int i = 0; i < 1000; i++) {
                String key = "key" + (i % 20);
                expected.put(key, value + i);
                List<Mutation> everything = new ArrayList<>();
                expected.forEach((k, v) -> everything.add(put(k, v)));
                if (!log.append(List.of(put(key, value + i)))) {
                    log.compact(everything);
                }
            }
            assertTrue(log.generation() > 5, "compacted " + (log.generation() - 1) + " times");
            assertEquals(expected, replay(device));
        }
    }

    @Test
    void dataThatNoLongerFitsIsRefusedNamingWhy() throws IOException {
        try (FileBlockDevice device = FileBlockDevice.open(dir.resolve("disk.img"), 256 * 1024, false)) {
            CommandLog log = CommandLog.open(device, m -> { });
            List<Mutation> huge = List.of(put("big", "x".repeat(200 * 1024)));
            assertFalse(log.append(huge), "no room: to be compacted");
            IOException e = assertThrows(IOException.class, () -> log.compact(huge));
            assertTrue(e.getMessage().contains("no longer fits"), e.getMessage());
        }
    }

    /**
     * A crash at every byte of a batch's write: the replay gives the data before the batch, and all of it once the
     * whole record is there; the log goes on from there.
     */
    @Test
    void aCrashAtEveryPointOfABatchReplaysExactlyTheAcknowledgedPrefix() throws IOException {
        Path before = dir.resolve("before.img");
        Path after = dir.resolve("after.img");
        long recordAt;
        int recordBytes;
        try (FileBlockDevice device = FileBlockDevice.open(before, 256 * 1024, false)) {
            CommandLog log = CommandLog.open(device, m -> { });
            log.append(List.of(put("a", "1"), put("b", "2")));
            recordAt = 2L * CommandLog.SUPERBLOCK_BYTES + log.usedBytes();
        }
        java.nio.file.Files.copy(before, after);
        try (FileBlockDevice device = FileBlockDevice.open(after, 0, false)) {
            CommandLog log = CommandLog.open(device, m -> { });
            // the record ends with an expiry of non-zero bytes: a cut must differ from the zeroes of the region
            log.append(List.of(put("a", "3"), new Mutation.Delete("b"), put("c", "4"),
                    new Mutation.Put("d", "x".repeat(300).getBytes(StandardCharsets.UTF_8), Long.MAX_VALUE)));
            recordBytes = (int) (2L * CommandLog.SUPERBLOCK_BYTES + log.usedBytes() - recordAt);
        }
        ByteBuffer record = ByteBuffer.allocate(recordBytes);
        try (FileBlockDevice device = FileBlockDevice.open(after, 0, true)) {
            device.read(recordAt, record);
        }
        record.flip();
        Map<String, String> acknowledged = Map.of("a", "1", "b", "2");
        for (int cut = 0; cut <= recordBytes; cut++) {
            Path crashed = dir.resolve("crashed-" + cut + ".img");
            java.nio.file.Files.copy(before, crashed);
            try (FileBlockDevice device = FileBlockDevice.open(crashed, 0, false)) {
                device.write(recordAt, record.duplicate().limit(cut));
                Map<String, String> replayed = replay(device);
                if (cut < recordBytes) {
                    assertEquals(acknowledged, replayed, "a crash after " + cut + " of " + recordBytes + " bytes");
                    CommandLog reopened = CommandLog.open(device, m -> { });
                    assertTrue(reopened.append(List.of(put("e", "5"))));
                    assertEquals(Map.of("a", "1", "b", "2", "e", "5"), replay(device), "the log goes on after " + cut);
                } else {
                    assertEquals(Map.of("a", "3", "c", "4", "d", "x".repeat(300)), replayed, "the whole batch");
                }
            }
            java.nio.file.Files.delete(crashed);
        }
    }

    /**
     * A failed append leaves the log's tail in doubt: the log is not continued there (a shorter record and the rest
     * of the failed one could replay as a record that was never acknowledged) but compacted into the other region.
     */
    @Test
    void afterAFailedAppendTheLogIsCompactedNotContinued() throws IOException {
        try (FileBlockDevice file = FileBlockDevice.open(dir.resolve("disk.img"), 256 * 1024, false)) {
            boolean[] failing = {false};
            // the data reaches the disk; its acknowledgement does not
            BlockDevice device = failing(file, "writeDurable", () -> failing[0], true, "injected: the flush failed");
            CommandLog log = CommandLog.open(device, m -> { });
            log.append(List.of(put("a", "1")));
            failing[0] = true;
            assertThrows(IOException.class, () -> log.append(List.of(put("b", "never acknowledged"))));
            failing[0] = false;
            long generation = log.generation();
            assertFalse(log.append(List.of(put("c", "3"))), "not continued after a failed write");
            log.compact(List.of(put("a", "1"), put("c", "3")));
            assertEquals(generation + 1, log.generation());
            assertTrue(log.append(List.of(put("d", "4"))));
            assertEquals(Map.of("a", "1", "c", "3", "d", "4"), replay(file));
        }
    }

    /** Zeroes ahead that cannot be written fail the append but leave its tail: the log goes on there. */
    @Test
    void aFailureToWriteZeroesAheadLeavesTheTail() throws IOException {
        try (FileBlockDevice file = FileBlockDevice.open(dir.resolve("disk.img"), 8 << 20, false)) {
            boolean[] full = {false};
            BlockDevice device = failing(file, "writeZeroes", () -> full[0], false, "No space left on device");
            CommandLog log = CommandLog.open(device, m -> { });
            log.append(List.of(put("a", "1")));
            full[0] = true;
            assertThrows(IOException.class, () -> log.append(List.of(put("b", "x".repeat(3 << 19)))));
            full[0] = false;
            long generation = log.generation();
            assertTrue(log.append(List.of(put("c", "3"))), "goes on at its tail");
            assertEquals(generation, log.generation());
            assertEquals(Map.of("a", "1", "c", "3"), replay(file));
        }
    }

    /**
     * Every append (and compaction) writes into bytes the log wrote zeroes to before: on a disk file, blocks already
     * allocated, so that its fdatasync has no allocation to commit. The superblocks are small and written in place.
     */
    @Test
    void appendsWriteOnlyWhereZeroesWereWrittenAhead() throws IOException {
        try (FileBlockDevice file = FileBlockDevice.open(dir.resolve("disk.img"), 4 << 20, false)) {
            java.util.TreeMap<Long, Long> zeroed = new java.util.TreeMap<>();
            List<String> unallocated = new ArrayList<>();
            int[] appends = {0};
            BlockDevice device = (BlockDevice) java.lang.reflect.Proxy.newProxyInstance(
                    BlockDevice.class.getClassLoader(), new Class<?>[] {BlockDevice.class}, (proxy, method, args) -> {
                        if (method.getName().equals("writeZeroes")) {
                            zeroed.merge((Long) args[0], (Long) args[1], Math::max);
                        } else if (method.getName().equals("writeDurable") && (Long) args[0] >= 2L * CommandLog.SUPERBLOCK_BYTES) {
                            appends[0]++;
                            long from = (Long) args[0];
                            long to = from + ((ByteBuffer) args[1]).remaining();
                            long covered = from; // through the zeroed pieces that cover it, one after another
                            java.util.Map.Entry<Long, Long> piece;
                            while (covered < to && (piece = zeroed.floorEntry(covered)) != null
                                    && piece.getKey() + piece.getValue() > covered) {
                                covered = piece.getKey() + piece.getValue();
                            }
                            if (covered < to) {
                                unallocated.add("[" + from + ", " + to + ")");
                            }
                        }
                        try {
                            return method.invoke(file, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            CommandLog log = CommandLog.open(device, m -> { });
            Map<String, String> expected = new LinkedHashMap<>();
            for (int i = 0; i < 30_000; i++) {
                String key = "key" + (i % 100);
                String value = "v".repeat(i % 300) + i;
                expected.put(key, value);
                if (!log.append(List.of(put(key, value)))) {
                    List<Mutation> everything = new ArrayList<>();
                    expected.forEach((k, v) -> everything.add(put(k, v)));
                    log.compact(everything);
                }
            }
            assertTrue(log.generation() > 2, "compacted " + (log.generation() - 1) + " times");
            assertEquals(List.of(), unallocated, "appends beyond what was zeroed, of " + appends[0]);
            assertTrue(zeroed.size() < appends[0] / 50, zeroed.size() + " zero writes for " + appends[0] + " appends");
            assertEquals(expected, replay(file));
        }
    }

    /**
     * {@code file} whose {@code method} throws {@code message} while {@code armed}; {@code reachesDisk} runs the
     * call first (the data was written, only its acknowledgement failed).
     */
    private static BlockDevice failing(BlockDevice file, String method, java.util.function.BooleanSupplier armed,
            boolean reachesDisk, String message) {
        return (BlockDevice) java.lang.reflect.Proxy.newProxyInstance(BlockDevice.class.getClassLoader(),
                new Class<?>[] {BlockDevice.class}, (proxy, called, args) -> {
                    try {
                        if (called.getName().equals(method) && armed.getAsBoolean()) {
                            if (reachesDisk) {
                                called.invoke(file, args);
                            }
                            throw new IOException(message);
                        }
                        return called.invoke(file, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
