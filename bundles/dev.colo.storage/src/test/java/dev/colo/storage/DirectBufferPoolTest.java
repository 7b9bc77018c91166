package dev.colo.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DirectBufferPoolTest {
    @Test
    void shouldHandOutClearedDirectBuffersAndReuseReturnedOnes() {
        DirectBufferPool pool = new DirectBufferPool(4096, 2);
        ByteBuffer first = pool.acquire();
        assertTrue(first.isDirect());
        assertEquals(4096, first.capacity());
        assertEquals(4096, pool.bufferBytes());
        first.put((byte) 1).limit(10);
        pool.release(first);
        assertEquals(1, pool.pooled());
        ByteBuffer again = pool.acquire();
        assertSame(first, again);
        assertEquals(0, again.position());
        assertEquals(4096, again.limit(), "acquired buffers are cleared");
        assertEquals(0, pool.pooled());
    }

    @Test
    void shouldAllocateWhenEmptyAndDropWhenFull() {
        DirectBufferPool pool = new DirectBufferPool(512, 2);
        ByteBuffer a = pool.acquire();
        ByteBuffer b = pool.acquire();
        ByteBuffer c = pool.acquire();
        assertNotSame(a, b);
        pool.release(a);
        pool.release(b);
        pool.release(c);
        assertEquals(2, pool.pooled());
    }

    @Test
    void shouldRefuseNonPositiveSizes() {
        assertThrows(IllegalArgumentException.class, () -> new DirectBufferPool(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DirectBufferPool(512, 0));
    }
}
