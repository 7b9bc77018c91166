package dev.colo.nbd.internal.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes behind an export, addressed by offset. Implementations are safe for concurrent use by
 * several connections; overlapping concurrent requests have no defined order (as in NBD).
 */
public interface BlockStore extends AutoCloseable {

    long sizeBytes();

    boolean readOnly();

    /** Fills {@code dst} (position to limit) from {@code offset}; reading past the end is an error. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes {@code src} (position to limit) at {@code offset}. */
    void write(long offset, ByteBuffer src) throws IOException;

    /** Writes {@code length} zero bytes at {@code offset}. */
    void writeZeroes(long offset, long length) throws IOException;

    /** The range's content is no longer needed; afterwards it reads as zeroes or as its old data. */
    void trim(long offset, long length) throws IOException;

    /** Makes every completed write durable (data and metadata). */
    void flush() throws IOException;

    @Override
    void close() throws IOException;
}
