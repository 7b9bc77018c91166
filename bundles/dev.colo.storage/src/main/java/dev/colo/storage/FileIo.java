package dev.colo.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Positional I/O loops and directory syncing shared by the classes of this package. */
final class FileIo {
    private FileIo() {
    }

    /** Fills {@code dst}; bytes past the end of the file read as zeroes (a sparse file's unwritten tail). */
    static void readFully(FileChannel channel, long offset, ByteBuffer dst) throws IOException {
        long position = offset;
        while (dst.hasRemaining()) {
            int read = channel.read(dst, position);
            if (read < 0) {
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            position += read;
        }
    }

    /** Writes all of {@code src} at {@code offset}; a positional write may write less than asked. */
    static void writeFully(FileChannel channel, long offset, ByteBuffer src) throws IOException {
        long position = offset;
        while (src.hasRemaining()) {
            position += channel.write(src, position);
        }
    }

    /** Grows the file to {@code size} without allocating the bytes in between. */
    static void extendSparse(FileChannel channel, long size) throws IOException {
        // writing the last byte grows the file; everything before it stays a hole
        writeFully(channel, size - 1, ByteBuffer.wrap(new byte[1]));
    }

    /**
     * Makes a rename or delete in {@code dir} durable. Some file systems refuse to open or sync a
     * directory; there is nothing better to do then, so the failure is ignored.
     */
    static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported here (e.g. some network or Windows file systems): the rename is as durable as it gets
        }
    }
}
