package dev.colo.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A small pool of equally sized direct buffers, reused for file I/O instead of letting the JDK cache a
 * temporary direct buffer as large as each request in every thread. When the pool is empty a buffer is
 * allocated; when it is full a returned buffer is dropped.
 */
public final class DirectBufferPool {
    private final int bufferBytes;
    private final ArrayBlockingQueue<ByteBuffer> free;

    /** A pool of buffers of {@code bufferBytes} keeping at most {@code maxPooled} idle ones. */
    public DirectBufferPool(int bufferBytes, int maxPooled) {
        if (bufferBytes <= 0 || maxPooled <= 0) {
            throw new IllegalArgumentException("buffer size and pool size must be positive: " + bufferBytes
                    + ", " + maxPooled);
        }
        this.bufferBytes = bufferBytes;
        this.free = new ArrayBlockingQueue<>(maxPooled);
    }

    /** The capacity of every buffer handed out. */
    public int bufferBytes() {
        return bufferBytes;
    }

    /** A cleared buffer of {@link #bufferBytes()}; give it back with {@link #release(ByteBuffer)}. */
    public ByteBuffer acquire() {
        ByteBuffer buffer = free.poll();
        return buffer == null ? ByteBuffer.allocateDirect(bufferBytes) : buffer.clear();
    }

    /** Returns a buffer from {@link #acquire()}; dropped when the pool is full. */
    public void release(ByteBuffer buffer) {
        free.offer(buffer);
    }

    /** How many idle buffers the pool holds. */
    public int pooled() {
        return free.size();
    }
}
