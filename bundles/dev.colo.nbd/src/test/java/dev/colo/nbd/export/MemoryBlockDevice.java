package dev.colo.nbd.export;

import dev.colo.api.storage.BlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link BlockDevice} over a byte array; for tests (also of other modules). Counts flushes and durable writes. */
public final class MemoryBlockDevice implements BlockDevice {
    private final byte[] bytes;
    private final boolean readOnly;
    private final AtomicInteger flushes = new AtomicInteger();
    private final AtomicInteger durableWrites = new AtomicInteger();

    public MemoryBlockDevice(int sizeBytes) {
        this(new byte[sizeBytes], false);
    }

    public MemoryBlockDevice(byte[] bytes, boolean readOnly) {
        this.bytes = bytes;
        this.readOnly = readOnly;
    }

    @Override
    public long sizeBytes() {
        return bytes.length;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) throws IOException {
        check(offset, dst.remaining(), false);
        dst.put(bytes, (int) offset, dst.remaining());
    }

    @Override
    public synchronized void write(long offset, ByteBuffer src) throws IOException {
        check(offset, src.remaining(), true);
        src.get(bytes, (int) offset, src.remaining());
    }

    @Override
    public synchronized void writeZeroes(long offset, long length) throws IOException {
        check(offset, length, true);
        Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        check(offset, length, true);
    }

    @Override
    public void flush() {
        flushes.incrementAndGet();
    }

    @Override
    public void writeDurable(long offset, ByteBuffer src) throws IOException {
        write(offset, src);
        durableWrites.incrementAndGet();
    }

    public int durableWrites() {
        return durableWrites.get();
    }

    public int flushes() {
        return flushes.get();
    }

    /** A copy of the bytes at {@code offset}. */
    public synchronized byte[] bytes(int offset, int length) {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    private void check(long offset, long length, boolean write) throws IOException {
        if (write && readOnly) {
            throw new java.nio.channels.NonWritableChannelException();
        }
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside " + bytes.length);
        }
    }

    @Override
    public String toString() {
        return "memory:" + bytes.length;
    }
}
