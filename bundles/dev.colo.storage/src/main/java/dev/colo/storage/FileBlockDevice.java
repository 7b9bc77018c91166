package dev.colo.storage;

import dev.colo.api.storage.BlockDevice;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlockDevice} over a regular file or a block device, with positional I/O on one shared
 * {@link FileChannel} (so every user sees and flushes the same data).
 *
 * <ul>
 * <li>Data moves through pooled direct buffers of {@value #CHUNK_BYTES} bytes.</li>
 * <li>{@link #flush()} is {@code FileChannel.force(false)} (fdatasync): the data reach the disk, with the metadata
 *     needed to read them back (a grown size, new blocks) but not the times; {@link #writeDurable} is a write and
 *     that (the interface's own).</li>
 * <li>{@link #writeZeroes} writes zeroes from one shared read-only zero buffer. Java cannot punch holes, so
 *     the file stays allocated. Sparseness comes from creating or extending the file by its size (at open),
 *     and a range past the current end of the file is not written, as it reads as zeroes already.</li>
 * <li>{@link #trim} is a no-op: a trimmed range may keep its old data, and a no-op cannot lose a later write.</li>
 * </ul>
 */
public final class FileBlockDevice implements BlockDevice, Closeable {
    static final int CHUNK_BYTES = PooledFileIo.CHUNK_BYTES;
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(CHUNK_BYTES).asReadOnlyBuffer();

    private static final Logger logger = LoggerFactory.getLogger(FileBlockDevice.class);

    private final Path path;
    private final FileChannel channel;
    private final PooledFileIo io;
    private final boolean readOnly;
    private final long sizeBytes;
    private final boolean regularFile;

    private FileBlockDevice(Path path, FileChannel channel, boolean readOnly, long sizeBytes, boolean regularFile) {
        this.path = path;
        this.channel = channel;
        this.io = new PooledFileIo(channel);
        this.readOnly = readOnly;
        this.sizeBytes = sizeBytes;
        this.regularFile = regularFile;
    }

    /**
     * Opens {@code path}. With {@code sizeBytes > 0} a missing regular file is created sparse of that size
     * and a shorter one is extended (sparse); a longer one keeps its size, of which the device shows the
     * first {@code sizeBytes}. With 0 the existing size is used.
     */
    public static FileBlockDevice open(Path path, long sizeBytes, boolean readOnly) throws IOException {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("size must not be negative: " + sizeBytes);
        }
        boolean exists = Files.exists(path);
        if (!exists && (readOnly || sizeBytes == 0)) {
            throw new IOException("Backing file " + path + " does not exist" + (readOnly ? " (read-only device)"
                    : " and no size was given to create it"));
        }
        Set<StandardOpenOption> options = readOnly ? EnumSet.of(StandardOpenOption.READ)
                : EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.SPARSE);
        FileChannel channel = FileChannel.open(path, options);
        try {
            boolean regular = Files.isRegularFile(path);
            long current = regular ? channel.size() : deviceSize(path, channel, sizeBytes);
            long size = sizeBytes == 0 ? current : sizeBytes;
            if (regular && current < size) {
                if (readOnly) {
                    throw new IOException("Backing file " + path + " has " + current + " bytes, fewer than the "
                            + size + " configured, and is read-only");
                }
                FileIo.extendSparse(channel, size);
                logger.info("Backing file {} {} to {} bytes (sparse)", path, exists ? "extended" : "created", size);
            } else if (!regular && current < size) {
                throw new IOException("Device " + path + " has " + current + " bytes, fewer than the " + size
                        + " configured");
            }
            return new FileBlockDevice(path, channel, readOnly, size, regular);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The size of a block device. {@code FileChannel.size()} may report 0 for one (it is the inode's size),
     * so the kernel's sector count in sysfs is asked then; the configured size is the last resort.
     */
    private static long deviceSize(Path path, FileChannel channel, long configuredBytes) throws IOException {
        long size = channel.size();
        if (size > 0) {
            return size;
        }
        try {
            long rdev = ((Number) Files.getAttribute(path, "unix:rdev")).longValue();
            long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
            Path sectors = Path.of("/sys/dev/block/" + major + ":" + minor + "/size");
            return Long.parseLong(Files.readString(sectors).trim()) * 512;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            if (configuredBytes > 0) {
                return configuredBytes;
            }
            throw new IOException("Cannot tell the size of device " + path + " (" + e + "); configure its size");
        }
    }

    /** The file or device this block device reads and writes. */
    @Override
    public String toString() {
        return path.toString();
    }

    public Path path() {
        return path;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        checkRange(offset, dst.remaining());
        // inside the device but past the end of a longer-configured file reads as zeroes
        io.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        checkWritable();
        checkRange(offset, src.remaining());
        io.write(offset, src);
    }

    @Override
    public void writeZeroes(long offset, long length) throws IOException {
        checkWritable();
        checkRange(offset, length);
        long end = offset + length;
        if (regularFile) {
            // past the end of the file (shrunk by someone else) everything already reads as zeroes
            end = Math.min(end, channel.size());
        }
        long position = offset;
        while (position < end) {
            ByteBuffer zeroes = ZEROES.duplicate();
            zeroes.limit((int) Math.min(zeroes.capacity(), end - position));
            FileIo.writeFully(channel, position, zeroes);
            position += zeroes.limit();
        }
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        checkWritable();
        checkRange(offset, length);
        // no-op by design: Java has no hole punching, and a trim may leave the data as it was
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly) {
            channel.force(false);
        }
    }

    /** Closes the file; later I/O fails with {@link java.nio.channels.ClosedChannelException}. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void checkWritable() {
        if (readOnly) {
            throw new NonWritableChannelException();
        }
    }

    private void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || length > sizeBytes || offset > sizeBytes - length) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside " + sizeBytes
                    + " bytes of " + path);
        }
    }

    int pooledBuffers() {
        return io.pooledBuffers();
    }
}
