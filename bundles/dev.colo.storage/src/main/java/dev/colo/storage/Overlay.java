package dev.colo.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

/**
 * A sparse file over a disk with an in-memory allocation bitmap: the active or hidden disk of block
 * replication, holding only the blocks written since it was last emptied. Emptying only clears the
 * bitmap (fast, whatever the file holds); {@link #create} gives the file's space back. Writes are whole blocks, so a
 * block is either entirely in the overlay or entirely below it.
 */
public final class Overlay implements Closeable {
    private final Path path;
    private final FileChannel channel;
    private final PooledFileIo io;
    private final BlockGeometry geometry;
    private final AtomicBitmap allocated;

    private Overlay(Path path, FileChannel channel, BlockGeometry geometry) {
        this.path = path;
        this.channel = channel;
        this.io = new PooledFileIo(channel);
        this.geometry = geometry;
        this.allocated = new AtomicBitmap(geometry.blockCount());
    }

    /**
     * Creates {@code path}, or truncates it, as a sparse file of {@code sizeBytes} with nothing allocated;
     * {@code blockBytes} is a power of two of at least 512.
     */
    public static Overlay create(Path path, long sizeBytes, int blockBytes) throws IOException {
        BlockGeometry geometry = new BlockGeometry(sizeBytes, blockBytes);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SPARSE);
        try {
            FileIo.extendSparse(channel, sizeBytes);
            return new Overlay(path, channel, geometry);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens an existing overlay file keeping its content, with nothing marked allocated: for a restart that
     * restores the allocation from a journal ({@link #restoreAllocation}).
     *
     * @throws IOException naming the file when it is missing or not of {@code sizeBytes}
     */
    public static Overlay open(Path path, long sizeBytes, int blockBytes) throws IOException {
        BlockGeometry geometry = new BlockGeometry(sizeBytes, blockBytes);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (channel.size() != sizeBytes) {
                throw new IOException("Overlay " + path + " has " + channel.size() + " bytes, expected " + sizeBytes);
            }
            return new Overlay(path, channel, geometry);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The overlay file. */
    public Path path() {
        return path;
    }

    /** The size of the disk this overlay covers. */
    public long sizeBytes() {
        return geometry.sizeBytes();
    }

    /** The allocation unit: a power of two of at least 512 bytes. */
    public int blockBytes() {
        return geometry.blockBytes();
    }

    /** The number of blocks, the last one possibly short. */
    public long blockCount() {
        return geometry.blockCount();
    }

    /** The block holding byte {@code offset}. */
    public long blockOf(long offset) {
        return geometry.blockOf(offset);
    }

    /** The byte offset where {@code block} starts. */
    public long blockOffset(long block) {
        return geometry.blockOffset(block);
    }

    /** The length of {@code block}: {@link #blockBytes()}, or less for the last block. */
    public int blockLength(long block) {
        return geometry.blockLength(block);
    }

    /** Whether {@code block} was written since creation or {@link #empty()}; lock-free. */
    public boolean isAllocated(long block) {
        return allocated.get(block);
    }

    /** The number of allocated blocks. */
    public long allocatedBlocks() {
        return allocated.count();
    }

    /** The bytes the allocated blocks cover (the short last block counted by its length). */
    public long allocatedBytes() {
        long last = geometry.blockCount() - 1;
        return geometry.bytesOf(allocated.count(), allocated.get(last));
    }

    /**
     * Writes whole blocks at a block-aligned {@code offset} ({@code src} may end short at the end of the
     * overlay), then marks them allocated, so a reader trusting the bitmap never sees a block not yet written.
     */
    public void write(long offset, ByteBuffer src) throws IOException {
        int length = src.remaining();
        checkBlockAligned(offset, length);
        if (length == 0) {
            return;
        }
        io.write(offset, src);
        allocated.setRange(geometry.blockOf(offset), geometry.blockOf(offset + length - 1) + 1);
    }

    /** Reads any in-range span as the file holds it; unallocated parts read as zeroes. */
    public void read(long offset, ByteBuffer dst) throws IOException {
        geometry.checkRange(offset, dst.remaining());
        io.read(offset, dst);
    }

    /** The first allocated block at or after {@code fromBlock}, or -1; in time proportional to what is allocated. */
    public long nextAllocated(long fromBlock) {
        return fromBlock >= geometry.blockCount() ? -1 : allocated.nextSet(fromBlock);
    }

    /** Calls {@code block} with every allocated block in ascending order, in time proportional to them. */
    public void forEachAllocated(LongConsumer block) {
        allocated.forEachSet(block);
    }

    /**
     * Drops every allocated block from the bitmap, in time proportional to how many there were; their data
     * stays in the file, unreadable through the bitmap, until it is overwritten or the overlay is created
     * again. The caller keeps all other I/O away meanwhile.
     */
    public void empty() {
        allocated.clearAll();
    }

    /** A copy of the allocation bitmap's words (bit {@code b % 64} of word {@code b / 64} is block b). */
    public long[] allocationSnapshot() {
        return allocated.snapshot();
    }

    /** Replaces the allocation bitmap by {@code words} from {@link #allocationSnapshot()} of the same geometry. */
    public void restoreAllocation(long[] words) {
        allocated.restore(words);
    }

    /** Makes written data durable. */
    public void force() throws IOException {
        channel.force(false);
    }

    /** Closes the file; the allocation bitmap is lost with this object. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void checkBlockAligned(long offset, int length) {
        long size = geometry.sizeBytes();
        int blockBytes = geometry.blockBytes();
        boolean inRange = offset >= 0 && offset <= size - length;
        boolean wholeBlocks = length % blockBytes == 0 || offset + length == size;
        if (!inRange || offset % blockBytes != 0 || !wholeBlocks) {
            throw new IllegalArgumentException("overlay " + path + " takes whole blocks of " + blockBytes
                    + " bytes within " + size + " bytes: cannot write " + length + " bytes at offset " + offset);
        }
    }
}
