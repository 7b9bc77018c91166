package dev.colo.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The blocks a primary changed while its secondary was away, kept in a file that survives a restart and
 * a kill -9: {@link #mark} returns only once the new bits are on disk, so a guest write acknowledged after
 * it is never missing from the resynchronisation.
 *
 * <p>As DRBD's activity log: the file is written by <em>extents</em> of {@value #EXTENT_BLOCKS} blocks. The first
 * mark in an extent writes the whole extent as dirty and forces it; later marks in it cost no I/O. The exact
 * bits, kept in memory, replace the extent's in the file lazily: as blocks are cleared, and at {@link #close}. A
 * crash thus costs a resynchronisation of at most the rest of each extent written, never a missing block.
 *
 * <p>File layout (big-endian): {@link DirtyBitmapHeader}, then the bit words, 8 bytes each.
 */
public final class DirtyBitmap implements Closeable {
    /** Blocks per extent (4 MiB of 4 KiB blocks); a multiple of 64, the blocks of one word. */
    public static final int EXTENT_BLOCKS = 1024;
    private static final int EXTENT_WORDS = EXTENT_BLOCKS / 64;

    private final Path file;
    private final FileChannel channel;
    private final BlockGeometry geometry;
    private final AtomicBitmap dirty;
    /** The bits known to be on disk; a mark whose bits are all here needs no I/O. Changed under the lock. */
    private final AtomicLongArray durable;
    private final Object fileLock = new Object();

    private DirtyBitmap(Path file, FileChannel channel, BlockGeometry geometry, long[] words) {
        this.file = file;
        this.channel = channel;
        this.geometry = geometry;
        this.dirty = new AtomicBitmap(geometry.blockCount());
        dirty.restore(words);
        this.durable = new AtomicLongArray(words);
    }

    /**
     * Opens the bitmap in {@code file}, creating it all clean if absent. An existing file made for another
     * disk size or block size fails with an IOException saying what differs.
     */
    public static DirtyBitmap open(Path file, long sizeBytes, int blockBytes) throws IOException {
        BlockGeometry geometry = new BlockGeometry(sizeBytes, blockBytes);
        int wordCount = new AtomicBitmap(geometry.blockCount()).wordCount();
        if (!Files.exists(file)) {
            create(file, geometry, wordCount);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            DirtyBitmapHeader.read(channel, file).check(file, geometry);
            return new DirtyBitmap(file, channel, geometry, readWords(channel, file, wordCount));
        } catch (IllegalArgumentException e) {
            channel.close();
            throw new IOException("Dirty bitmap " + file + " is damaged: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Writes a clean bitmap beside {@code file} and renames it into place, so a crash leaves none or all. */
    private static void create(Path file, BlockGeometry geometry, int wordCount) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            new DirtyBitmapHeader(geometry.sizeBytes(), geometry.blockBytes()).write(channel);
            FileIo.writeFully(channel, DirtyBitmapHeader.BYTES, ByteBuffer.allocate(wordCount * Long.BYTES));
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        FileIo.forceDirectory(file.toAbsolutePath().getParent());
    }

    private static long[] readWords(FileChannel channel, Path file, int wordCount) throws IOException {
        long expected = DirtyBitmapHeader.BYTES + (long) wordCount * Long.BYTES;
        if (channel.size() != expected) {
            throw new IOException("Dirty bitmap " + file + " has " + channel.size() + " bytes, expected "
                    + expected);
        }
        ByteBuffer bytes = ByteBuffer.allocate(wordCount * Long.BYTES);
        FileIo.readFully(channel, DirtyBitmapHeader.BYTES, bytes);
        long[] words = new long[wordCount];
        bytes.flip().asLongBuffer().get(words);
        return words;
    }

    /** The bitmap file. */
    public Path path() {
        return file;
    }

    /** The granularity: one bit per this many bytes. */
    public int blockBytes() {
        return geometry.blockBytes();
    }

    /** The number of blocks, the last one possibly short. */
    public long blockCount() {
        return geometry.blockCount();
    }

    /** Whether {@code block} is dirty. */
    public boolean isDirty(long block) {
        return dirty.get(block);
    }

    /** The number of dirty blocks. */
    public long dirtyBlocks() {
        return dirty.count();
    }

    /** The bytes the dirty blocks cover (the short last block counted by its length). */
    public long dirtyBytes() {
        return geometry.bytesOf(dirty.count(), dirty.get(geometry.blockCount() - 1));
    }

    /** The first dirty block at or after {@code fromBlock}, or -1. */
    public long nextDirty(long fromBlock) {
        return dirty.nextSet(fromBlock);
    }

    /**
     * Marks every block the byte range touches and returns once they are durable. Blocks already durably
     * dirty cost no I/O; safe for concurrent callers.
     */
    public void mark(long offset, long length) throws IOException {
        geometry.checkRange(offset, length);
        if (length == 0) {
            return;
        }
        long first = geometry.blockOf(offset);
        long last = geometry.blockOf(offset + length - 1);
        dirty.setRange(first, last + 1);
        if (isDurable(first, last)) {
            return;
        }
        synchronized (fileLock) {
            // another mark may have written our bits while we waited
            if (!isDurable(first, last)) {
                persistExtents((int) (first >>> 6), (int) (last >>> 6));
            }
        }
    }

    /** Writes the extents holding words {@code from..to} as all dirty and forces them; the caller holds the lock. */
    private void persistExtents(int from, int to) throws IOException {
        int firstWord = from - from % EXTENT_WORDS;
        int lastWord = Math.min(dirty.wordCount() - 1, to - to % EXTENT_WORDS + EXTENT_WORDS - 1);
        long[] values = new long[lastWord - firstWord + 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = everyBlockOf(firstWord + i);
        }
        writeWords(firstWord, values);
        channel.force(false);
        for (int i = 0; i < values.length; i++) {
            durable.set(firstWord + i, values[i]);
        }
    }

    /** The bits of every block that word {@code index} covers (the last word may cover fewer than 64). */
    private long everyBlockOf(int index) {
        long blocksFromWord = geometry.blockCount() - ((long) index << 6);
        return blocksFromWord >= 64 ? -1L : (1L << blocksFromWord) - 1;
    }

    /**
     * Marks every block set in {@code words} (bitmap words of the same geometry, e.g. an overlay's
     * allocation snapshot) and returns once they are durable, with one write and one force.
     */
    public void markAll(long[] words) throws IOException {
        if (words.length != dirty.wordCount()) {
            throw new IllegalArgumentException("bitmap of " + words.length + " words for a dirty bitmap of "
                    + dirty.wordCount());
        }
        int first = -1;
        int last = -1;
        for (int i = 0; i < words.length; i++) {
            for (long bits = words[i]; bits != 0; bits &= bits - 1) {
                dirty.set(((long) i << 6) + Long.numberOfTrailingZeros(bits));
            }
            if (words[i] != 0) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        if (first >= 0) {
            synchronized (fileLock) {
                persist(first, last);
            }
        }
    }

    private boolean isDurable(long first, long last) {
        for (long block = first; block <= last; block++) {
            if ((durable.get((int) (block >>> 6)) & (1L << (block & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes words {@code from..to} as they are now and forces them; the caller holds the lock. */
    private void persist(int from, int to) throws IOException {
        long[] values = new long[to - from + 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = dirty.word(from + i);
        }
        writeWords(from, values);
        channel.force(false);
        for (int i = 0; i < values.length; i++) {
            durable.set(from + i, values[i]);
        }
    }

    /**
     * Clears {@code block} in memory and in the file, without forcing: a clear lost in a crash only
     * resynchronises the block again. A failed file write is an {@link UncheckedIOException}.
     */
    public void clear(long block) {
        if (!dirty.clear(block)) {
            return;
        }
        int index = (int) (block >>> 6);
        synchronized (fileLock) {
            long value = dirty.word(index);
            // until forced, the file may hold the old word or this one: only bits in both are sure
            durable.set(index, durable.get(index) & value);
            try {
                writeWords(index, new long[] {value});
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot clear block " + block + " in dirty bitmap " + file, e);
            }
        }
    }

    /** Clears every block, durably (marks made meanwhile are kept). */
    public void clearAll() throws IOException {
        synchronized (fileLock) {
            for (int i = 0; i < durable.length(); i++) {
                durable.set(i, 0);
            }
            dirty.clearAll();
            persist(0, dirty.wordCount() - 1);
        }
    }

    /** Makes earlier {@link #clear} calls durable. */
    public void force() throws IOException {
        channel.force(false);
    }

    /**
     * Writes the exact bits in place of the extents' and forces them: after a resynchronisation, so that the file
     * no longer names the untouched rest of each extent (a node restarting with a non-empty bitmap is copied whole).
     */
    public void writeExact() throws IOException {
        synchronized (fileLock) {
            for (int i = 0; i < durable.length(); i++) {
                long exact = dirty.word(i);
                if (durable.get(i) != exact) {
                    writeWords(i, new long[] {exact});
                    durable.set(i, exact);
                }
            }
            channel.force(false);
        }
    }

    /** Writes the exact bits in place of the extents' (every mark is durable already), then closes the file. */
    @Override
    public void close() throws IOException {
        try {
            writeExact();
        } finally {
            channel.close();
        }
    }

    private void writeWords(int firstWord, long[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES);
        bytes.asLongBuffer().put(values);
        FileIo.writeFully(channel, DirtyBitmapHeader.BYTES + (long) firstWord * Long.BYTES, bytes);
    }
}
