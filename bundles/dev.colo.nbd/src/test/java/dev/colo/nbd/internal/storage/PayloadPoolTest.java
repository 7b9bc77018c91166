package dev.colo.nbd.internal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PayloadPoolTest {
    private final PayloadPool pool = new PayloadPool();

    @Test
    void shouldReuseDirectBuffersForUsualPayloads() {
        ByteBuffer first = pool.acquire(4096);
        assertTrue(first.isDirect());
        assertEquals(0, first.position());
        assertEquals(4096, first.limit());
        pool.release(first);
        assertEquals(1, pool.pooled());
        ByteBuffer second = pool.acquire(PayloadPool.POOLED_PAYLOAD_BYTES);
        assertSame(first, second);
        assertEquals(PayloadPool.POOLED_PAYLOAD_BYTES, second.limit());
    }

    @Test
    void shouldGiveLargePayloadsHeapBuffersThatAreNotPooled() {
        ByteBuffer large = pool.acquire(PayloadPool.POOLED_PAYLOAD_BYTES + 1);
        assertFalse(large.isDirect());
        assertEquals(PayloadPool.POOLED_PAYLOAD_BYTES + 1, large.remaining());
        pool.release(large);
        assertEquals(0, pool.pooled());
    }
}
