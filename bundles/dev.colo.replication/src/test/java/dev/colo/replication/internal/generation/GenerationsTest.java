package dev.colo.replication.internal.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.replication.internal.generation.Generations.SyncKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationsTest {
    @TempDir
    Path dir;

    @Test
    void shouldTellInSyncIncrementalAndFullApart() {
        Generations inSync = Generations.fresh(0x1234);
        assertEquals(SyncKind.IN_SYNC, inSync.syncWith(0x1234));
        Generations degraded = inSync.rotated();
        assertEquals(0x1234, degraded.base());
        assertNotEquals(0x1234, degraded.current());
        assertEquals(SyncKind.INCREMENTAL, degraded.syncWith(0x1234), "the peer stayed where we left it");
        assertEquals(SyncKind.FULL, degraded.syncWith(0x9999), "the peer has a history of its own");
        assertEquals(SyncKind.FULL, Generations.fresh(0).syncWith(Generations.NONE), "none is never a common base");
        assertEquals(SyncKind.FULL, new Generations(5, Generations.NONE).syncWith(Generations.NONE));
    }

    @Test
    void shouldKeepGenerationsAcrossReopeningAndRefuseAForeignFile() throws Exception {
        Path file = dir.resolve("disk0.colo-generation");
        GenerationStore store = GenerationStore.open(file, 0xabc);
        assertEquals(new Generations(0xabc, Generations.NONE), store.get());
        Generations rotated = store.get().rotated();
        store.set(rotated);
        assertEquals(rotated, GenerationStore.open(file, 0xdef).get(), "the initial id applies to fresh disks only");

        Files.write(file, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> GenerationStore.open(file, 0));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
