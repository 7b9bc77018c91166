package dev.colo.nbd.internal.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A small pool of equally sized direct buffers, reused for file I/O instead of letting the JDK cache a
 * temporary direct buffer as large as each request in every thread. When the pool is empty a buffer is
 * allocated; when it is full a returned buffer is dropped.
 */
final class DirectBufferPool {
    private final int bufferBytes;
    private final ArrayBlockingQueue<ByteBuffer> free;

    DirectBufferPool(int bufferBytes, int maxPooled) {
        this.bufferBytes = bufferBytes;
        this.free = new ArrayBlockingQueue<>(maxPooled);
    }

    int bufferBytes() {
        return bufferBytes;
    }

    /** A cleared buffer of {@link #bufferBytes()}; give it back with {@link #release(ByteBuffer)}. */
    ByteBuffer acquire() {
        ByteBuffer buffer = free.poll();
        return buffer == null ? ByteBuffer.allocateDirect(bufferBytes) : buffer.clear();
    }

    void release(ByteBuffer buffer) {
        free.offer(buffer);
    }

    int pooled() {
        return free.size();
    }
}
