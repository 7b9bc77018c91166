package dev.colo.replication.internal.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.replication.DiskGenerations;
import dev.colo.replication.internal.generation.Generations.SyncKind;
import dev.colo.storage.StateFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenerationsTest {
    @TempDir
    Path dir;

    @Test
    void shouldTellInSyncIncrementalAndFullApart() {
        Generations inSync = Generations.fresh(0x1234);
        assertEquals(SyncKind.IN_SYNC, inSync.syncWith(0x1234));
        Generations degraded = inSync.diverged();
        assertEquals(0x1234, degraded.base());
        assertNotEquals(0x1234, degraded.current());
        assertEquals(SyncKind.INCREMENTAL, degraded.syncWith(0x1234), "the peer stayed where we left it");
        assertEquals(SyncKind.FULL, degraded.syncWith(0x9999), "the peer has a history of its own");
        assertEquals(SyncKind.FULL, Generations.fresh(0).syncWith(Generations.NONE), "none is never a common base");
        assertEquals(SyncKind.FULL, new Generations(5, Generations.NONE, false).syncWith(Generations.NONE));
    }

    @Test
    void shouldStartANewGenerationOnlyForTheFirstWriteThePeerLacksUntilSharedAgain() {
        Generations shared = Generations.fresh(0x1234);
        assertTrue(shared.shared(), "both nodes were given this id");
        assertFalse(Generations.fresh(0).shared(), "a random id is known to no peer");

        Generations first = shared.diverged();
        assertEquals(new Generations(first.current(), 0x1234, false), first);
        assertSame(first, first.diverged(), "later writes keep the generation and its base");

        Generations again = first.sharing(first.current()).diverged();
        assertEquals(first.current(), again.base(), "in sync again, the next write the peer lacks rotates again");
        assertNotEquals(first.current(), again.current());

        assertEquals(new Generations(0x1234, 0x9999, false), shared.basedOn(0x9999),
                "a full copy counts from the peer's generation, not shared until it completes");
    }

    @Test
    void shouldKeepGenerationsAcrossReopeningAndRefuseAForeignFile() throws Exception {
        Path file = dir.resolve("disk0.colo-generation");
        GenerationStore store = GenerationStore.open(file, 0xabc);
        assertEquals(new Generations(0xabc, Generations.NONE, true), store.get());
        Generations rotated = store.update(Generations::diverged);
        assertEquals(rotated, GenerationStore.open(file, 0xdef).get(), "the initial id applies to fresh disks only");

        Files.write(file, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> GenerationStore.open(file, 0));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    /** As after a kill -9 right after the first write the peer lacks: the file has it, and it happens once. */
    @Test
    void shouldRotateDurablyAndNotAgainAfterReopening() throws Exception {
        Path file = dir.resolve("disk0.colo-generation");
        GenerationStore store = GenerationStore.open(file, 0xabc);
        store.diverge();
        Generations rotated = store.get();
        assertEquals(new Generations(rotated.current(), 0xabc, false), rotated);

        GenerationStore reopened = GenerationStore.open(file, 0xabc);
        assertEquals(rotated, reopened.get());
        reopened.diverge();
        store.diverge();
        assertEquals(rotated, reopened.get(), "the base is still the peer's generation");
        assertEquals(rotated, GenerationStore.open(file, 0xabc).get());
    }

    /** A version 1 file (no shared flag) is read as shared: the first write the peer lacks rotates. */
    @Test
    void shouldReadAVersion1FileAsShared() throws Exception {
        Path file = dir.resolve("disk0.colo-generation");
        StateFile.write(file, ByteBuffer.allocate(20).putInt(1).putLong(0xc1).putLong(0xb0).array());
        GenerationStore store = GenerationStore.open(file, 0);
        assertEquals(new Generations(0xc1, 0xb0, true), store.get());
        store.diverge();
        assertEquals(0xc1, store.get().base());
        assertEquals(store.get(), GenerationStore.open(file, 0).get(), "written back as version 2");
    }

    @Test
    void shouldShareOnlyWhileThePeerHasEverything() throws Exception {
        Path file = dir.resolve("disk0.colo-generation");
        GenerationStore store = GenerationStore.open(file, 0xabc);
        store.diverge();
        Generations diverged = store.get();

        assertTrue(store.shareIf(() -> false).isEmpty());
        assertEquals(diverged, GenerationStore.open(file, 0).get(), "nothing changed");

        Generations shared = store.shareIf(() -> true).orElseThrow();
        assertEquals(diverged.sharing(diverged.current()), shared);
        assertEquals(shared, GenerationStore.open(file, 0).get());
    }

    @ParameterizedTest(name = "({0}, {1}) against ({2}, {3}): {4}")
    @CsvSource({
        // mine      peer       writes the peer lacks
        "1, 0,       1, 0,      false", // the same data
        "1, 0,       2, 1,      false", // the peer went on from our data
        "2, 1,       1, 0,      true",  // we went on from the peer's data
        "2, 1,       3, 1,      true",  // both went on from the same data: each has writes the other lacks
        "3, 1,       2, 1,      true",
        "5, 0,       7, 0,      true"   // unrelated histories
    })
    void hasWritesLackedByShouldTellWhoseWritesTheOtherLacks(long current, long base, long peerCurrent, long peerBase,
            boolean expected) {
        assertEquals(expected, new DiskGenerations(current, base)
                .hasWritesLackedBy(new DiskGenerations(peerCurrent, peerBase)));
    }
}
