package dev.colo.nbd.internal.storage;

import dev.colo.api.storage.BlockDevice;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlockDevice} over a regular file or a block device, with positional I/O on one shared
 * {@link FileChannel} (so every connection sees and flushes the same data).
 *
 * <ul>
 * <li>Data moves through pooled direct buffers of {@value #CHUNK_BYTES} bytes.</li>
 * <li>{@link #flush()} is {@code FileChannel.force(true)}: FLUSH and FUA reach the disk, metadata included.</li>
 * <li>{@link #writeZeroes} writes zeroes from one shared read-only zero buffer. Java cannot punch holes, so
 *     the file stays allocated. Sparseness comes from creating or extending the file by its size (at open),
 *     and a range past the current end of the file is not written, as it reads as zeroes already.</li>
 * <li>{@link #trim} is a no-op: NBD lets TRIM leave the old data, and a no-op cannot lose a later write.</li>
 * </ul>
 */
public final class FileBlockStore implements BlockDevice, Closeable {
    static final int CHUNK_BYTES = 1024 * 1024;
    private static final int POOLED_BUFFERS = 8;
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(CHUNK_BYTES).asReadOnlyBuffer();

    private static final Logger logger = LoggerFactory.getLogger(FileBlockStore.class);

    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private final long sizeBytes;
    private final boolean regularFile;
    private final DirectBufferPool buffers = new DirectBufferPool(CHUNK_BYTES, POOLED_BUFFERS);

    private FileBlockStore(Path path, FileChannel channel, boolean readOnly, long sizeBytes, boolean regularFile) {
        this.path = path;
        this.channel = channel;
        this.readOnly = readOnly;
        this.sizeBytes = sizeBytes;
        this.regularFile = regularFile;
    }

    /**
     * Opens {@code path}. With {@code sizeBytes > 0} a missing regular file is created sparse of that
     * size and a shorter one is extended (sparse); a longer one keeps its size, of which the export shows
     * the first {@code sizeBytes}. With 0 the existing size is used.
     */
    public static FileBlockStore open(Path path, long sizeBytes, boolean readOnly) throws IOException {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("size must not be negative: " + sizeBytes);
        }
        boolean exists = Files.exists(path);
        if (!exists && (readOnly || sizeBytes == 0)) {
            throw new IOException("Backing file " + path + " does not exist" + (readOnly ? " (read-only export)"
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
                extend(channel, size);
                logger.info("Backing file {} {} to {} bytes (sparse)", path, exists ? "extended" : "created", size);
            } else if (!regular && current < size) {
                throw new IOException("Device " + path + " has " + current + " bytes, fewer than the " + size
                        + " configured");
            }
            return new FileBlockStore(path, channel, readOnly, size, regular);
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

    private static void extend(FileChannel channel, long size) throws IOException {
        // writing the last byte grows the file without allocating the bytes in between
        channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
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
        if (dst.isDirect()) {
            readFully(offset, dst);
            return;
        }
        ByteBuffer chunk = buffers.acquire();
        try {
            long position = offset;
            while (dst.hasRemaining()) {
                chunk.clear().limit(Math.min(chunk.capacity(), dst.remaining()));
                readFully(position, chunk);
                position += chunk.flip().remaining();
                dst.put(chunk);
            }
        } finally {
            buffers.release(chunk);
        }
    }

    private void readFully(long offset, ByteBuffer dst) throws IOException {
        long position = offset;
        while (dst.hasRemaining()) {
            int read = channel.read(dst, position);
            if (read < 0) {
                // inside the export but past the end of a longer-configured file: reads as zeroes
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            position += read;
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        checkWritable();
        checkRange(offset, src.remaining());
        if (src.isDirect()) {
            writeFully(offset, src);
            return;
        }
        ByteBuffer chunk = buffers.acquire();
        try {
            long position = offset;
            while (src.hasRemaining()) {
                int n = Math.min(chunk.capacity(), src.remaining());
                ByteBuffer part = src.slice(src.position(), n);
                chunk.clear();
                chunk.put(part).flip();
                writeFully(position, chunk);
                src.position(src.position() + n);
                position += n;
            }
        } finally {
            buffers.release(chunk);
        }
    }

    private void writeFully(long offset, ByteBuffer src) throws IOException {
        long position = offset;
        while (src.hasRemaining()) {
            position += channel.write(src, position);
        }
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
            writeFully(position, zeroes);
            position += zeroes.limit();
        }
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        checkWritable();
        checkRange(offset, length);
        // no-op by design: Java has no hole punching, and TRIM may leave the data as it was
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly) {
            channel.force(true);
        }
    }

    /** The backing path, which a programmatic export shows as its MXBean's backing path. */
    @Override
    public String toString() {
        return path.toString();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void checkWritable() throws IOException {
        if (readOnly) {
            throw new java.nio.channels.NonWritableChannelException();
        }
    }

    private void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || length > sizeBytes || offset > sizeBytes - length) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside " + sizeBytes
                    + " bytes of " + path);
        }
    }

    int pooledBuffers() {
        return buffers.pooled();
    }
}
