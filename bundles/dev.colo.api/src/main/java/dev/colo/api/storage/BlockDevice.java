package dev.colo.api.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Bytes addressed by offset: a disk as a guest, the NBD server and replication see it. Implementations are
 * safe for concurrent use; overlapping concurrent requests have no defined order (as in NBD). Registered
 * as a service with {@value #NAME_PROPERTY} for guests to find their disk.
 */
@ConsumerType
public interface BlockDevice {
    /** Service property: the disk's name, e.g. {@code disk0}. */
    String NAME_PROPERTY = "colo.disk.name";

    long sizeBytes();

    boolean readOnly();

    /** Fills {@code dst} (position to limit) from {@code offset}; reading past the end is an error. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes {@code src} (position to limit) at {@code offset}; {@code src} is consumed. */
    void write(long offset, ByteBuffer src) throws IOException;

    /** Writes {@code length} zero bytes at {@code offset}. */
    void writeZeroes(long offset, long length) throws IOException;

    /** The range's content is no longer needed; afterwards it reads as zeroes or as its old data. */
    void trim(long offset, long length) throws IOException;

    /**
     * Writes {@code src} at {@code offset} and returns once it is durable (NBD's WRITE with FUA): one operation,
     * so a replicated disk makes it durable on both nodes in one round trip. Writes completed before it are not
     * necessarily durable with it.
     */
    default void writeDurable(long offset, ByteBuffer src) throws IOException {
        write(offset, src);
        flush();
    }

    /** Makes every completed write durable: its data, and what is needed to read it back (fdatasync). */
    void flush() throws IOException;
}
