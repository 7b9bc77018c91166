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
            log.append(List.of(put("a", "1"), put("b", "2")), List::of);
            log.append(List.of(new Mutation.Delete("a")), List::of);
            log.append(List.of(put("c", "3")), List::of);
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
                log.append(List.of(put("key-" + (i % 5_000), value)), List::of);
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
            log.append(List.of(put("kept", "yes")), List::of);
            long tornAt = 2L * CommandLog.SUPERBLOCK_BYTES + log.usedBytes();
            log.append(List.of(put("torn", "half-written")), List::of);
            device.write(tornAt + CommandLog.HEADER_BYTES + 3, ByteBuffer.wrap(new byte[] {0x55}));
            assertEquals(Map.of("kept", "yes"), replay(device));
            CommandLog reopened = CommandLog.open(device, m -> { });
            reopened.append(List.of(put("after", "crash")), List::of);
            assertEquals(Map.of("kept", "yes", "after", "crash"), replay(device));
        }
    }

    @Test
    void aReopenedLogIsAtThePositionItReachedAndATornRecordPutsItBefore() throws IOException {
        try (FileBlockDevice device = FileBlockDevice.open(dir.resolve("disk.img"), 1 << 20, false)) {
            CommandLog log = CommandLog.open(device, m -> { });
            log.append(List.of(put("a", "1")), List::of);
            CommandLog.Position first = log.position();
            long tornAt = 2L * CommandLog.SUPERBLOCK_BYTES + log.usedBytes();
            log.append(List.of(put("b", "2")), List::of);
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
                log.append(List.of(put(key, value + i)), () -> everything);
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
            IOException e = assertThrows(IOException.class, () -> log.append(huge, () -> huge));
            assertTrue(e.getMessage().contains("no longer fits"), e.getMessage());
        }
    }
}
