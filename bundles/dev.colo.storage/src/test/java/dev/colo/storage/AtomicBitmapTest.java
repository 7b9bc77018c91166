package dev.colo.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AtomicBitmapTest {
    @Test
    void shouldSetClearAndCountBits() {
        AtomicBitmap bitmap = new AtomicBitmap(130);
        assertEquals(3, bitmap.wordCount());
        assertTrue(bitmap.set(0));
        assertFalse(bitmap.set(0), "already set");
        assertTrue(bitmap.set(129));
        assertTrue(bitmap.setRange(60, 70));
        assertEquals(12, bitmap.count());
        assertTrue(bitmap.get(63) && bitmap.get(64) && !bitmap.get(70));
        assertTrue(bitmap.clear(64));
        assertFalse(bitmap.clear(64));
        assertEquals(11, bitmap.count());
        assertThrows(IndexOutOfBoundsException.class, () -> bitmap.set(130));
        assertThrows(IndexOutOfBoundsException.class, () -> bitmap.get(-1));
    }

    @Test
    void shouldFindTheNextSetBitAcrossWordsAndSummaryWords() {
        AtomicBitmap bitmap = new AtomicBitmap(1L << 20);
        bitmap.set(5);
        bitmap.set(64 * 64 * 3 + 17); // in a later summary word
        bitmap.set((1L << 20) - 1);
        assertEquals(5, bitmap.nextSet(0));
        assertEquals(5, bitmap.nextSet(5));
        assertEquals(64 * 64 * 3 + 17, bitmap.nextSet(6));
        assertEquals((1L << 20) - 1, bitmap.nextSet(64 * 64 * 3 + 18));
        assertEquals(-1, bitmap.nextSet(1L << 20));
        bitmap.clear(64 * 64 * 3 + 17);
        assertEquals((1L << 20) - 1, bitmap.nextSet(6), "a cleared word is skipped");
    }

    @Test
    void shouldVisitSetBitsInOrderAndClearAll() {
        AtomicBitmap bitmap = new AtomicBitmap(10_000);
        long[] expected = {0, 63, 64, 4095, 4096, 9_999};
        for (int i = expected.length - 1; i >= 0; i--) {
            bitmap.set(expected[i]);
        }
        List<Long> seen = new ArrayList<>();
        bitmap.forEachSet(seen::add);
        assertArrayEquals(expected, seen.stream().mapToLong(Long::longValue).toArray());
        bitmap.clearAll();
        assertEquals(0, bitmap.count());
        assertEquals(-1, bitmap.nextSet(0));
        assertArrayEquals(new long[bitmap.wordCount()], bitmap.snapshot());
    }

    @Test
    void shouldRestoreASnapshotAndRefuseAForeignOne() {
        AtomicBitmap bitmap = new AtomicBitmap(100);
        bitmap.set(3);
        bitmap.set(99);
        long[] words = bitmap.snapshot();
        AtomicBitmap other = new AtomicBitmap(100);
        other.set(50);
        other.restore(words);
        assertEquals(2, other.count());
        assertFalse(other.get(50));
        assertEquals(99, other.nextSet(4));
        assertThrows(IllegalArgumentException.class, () -> other.restore(new long[1]));
        assertThrows(IllegalArgumentException.class, () -> other.restore(new long[] {0, 1L << 40}),
                "bit 104 lies beyond the 100 bits");
    }

    @Test
    void shouldCountConcurrentSetsExactly() throws Exception {
        AtomicBitmap bitmap = new AtomicBitmap(64 * 1024);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                // every thread sets every bit of its residue class, and all of them set bit 0
                futures.add(pool.submit(() -> {
                    for (int bit = thread; bit < 64 * 1024; bit += 8) {
                        bitmap.set(bit);
                        bitmap.set(0);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(64 * 1024, bitmap.count());
    }
}
