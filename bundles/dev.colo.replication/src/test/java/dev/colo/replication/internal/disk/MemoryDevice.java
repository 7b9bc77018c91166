package dev.colo.replication.internal.disk;

import dev.colo.api.storage.BlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A disk in memory for tests; it can be told to fail every write after a number of them (a dying disk). Counts its
 * durable writes and flushes.
 */
final class MemoryDevice implements BlockDevice {
    private final byte[] bytes;
    private volatile long writesBeforeFailure = Long.MAX_VALUE;
    private final java.util.concurrent.atomic.AtomicInteger durableWrites = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger();

    MemoryDevice(int size) {
        this.bytes = new byte[size];
    }

    /** Fails each write after the next {@code writes} ones; {@link Long#MAX_VALUE} heals it. */
    void failAfter(long writes) {
        writesBeforeFailure = writes;
    }

    byte[] content() {
        synchronized (bytes) {
            return bytes.clone();
        }
    }

    @Override
    public long sizeBytes() {
        return bytes.length;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        check(offset, dst.remaining());
        synchronized (bytes) {
            dst.put(bytes, (int) offset, dst.remaining());
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        check(offset, src.remaining());
        countWrite();
        synchronized (bytes) {
            src.get(bytes, (int) offset, src.remaining());
        }
    }

    @Override
    public void writeZeroes(long offset, long length) throws IOException {
        check(offset, length);
        countWrite();
        synchronized (bytes) {
            Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
        }
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        check(offset, length);
    }

    @Override
    public void writeDurable(long offset, ByteBuffer src) throws IOException {
        write(offset, src);
        durableWrites.incrementAndGet();
    }

    @Override
    public void flush() {
        flushes.incrementAndGet();
    }

    int durableWrites() {
        return durableWrites.get();
    }

    int flushes() {
        return flushes.get();
    }

    private void countWrite() throws IOException {
        synchronized (this) {
            if (writesBeforeFailure == 0) {
                throw new IOException("injected disk failure");
            }
            if (writesBeforeFailure != Long.MAX_VALUE) {
                writesBeforeFailure--;
            }
        }
    }

    private void check(long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IOException("out of range: " + offset + "+" + length + " of " + bytes.length);
        }
    }
}
