package dev.colo.nbd.internal.storage;

import dev.colo.nbd.protocol.PayloadBuffers;
import dev.colo.storage.DirectBufferPool;
import java.nio.ByteBuffer;

/**
 * WRITE payloads of up to {@value #POOLED_PAYLOAD_BYTES} bytes (nbdcopy's and most hypervisors' request
 * size) in pooled direct buffers (a {@link DirectBufferPool}), which a {@link dev.colo.storage.FileBlockDevice}
 * writes without another copy; larger ones (rare, up to 32 MiB) in heap buffers, which the device writes in
 * chunks.
 */
public final class PayloadPool implements PayloadBuffers {
    static final int POOLED_PAYLOAD_BYTES = 256 * 1024;
    private static final int MAX_POOLED = 32;

    private final DirectBufferPool pool = new DirectBufferPool(POOLED_PAYLOAD_BYTES, MAX_POOLED);

    @Override
    public ByteBuffer acquire(int bytes) {
        return bytes <= POOLED_PAYLOAD_BYTES ? pool.acquire().limit(bytes) : ByteBuffer.allocate(bytes);
    }

    @Override
    public void release(ByteBuffer buffer) {
        if (buffer.isDirect() && buffer.capacity() == POOLED_PAYLOAD_BYTES) {
            pool.release(buffer);
        }
    }

    int pooled() {
        return pool.pooled();
    }
}
