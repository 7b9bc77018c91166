package dev.colo.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The first {@value #BYTES} bytes of a dirty bitmap file: magic "COLODIRT" (8), version (4), block size in
 * bytes (4), disk size in bytes (8), reserved zeroes (8).
 */
record DirtyBitmapHeader(long sizeBytes, int blockBytes) {
    static final int BYTES = 32;
    static final long MAGIC = 0x434F4C4F44495254L; // "COLODIRT"
    static final int VERSION = 1;

    void write(FileChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(BYTES).putLong(MAGIC).putInt(VERSION).putInt(blockBytes)
                .putLong(sizeBytes).putLong(0);
        FileIo.writeFully(channel, 0, header.flip());
    }

    static DirtyBitmapHeader read(FileChannel channel, Path file) throws IOException {
        if (channel.size() < BYTES) {
            throw new IOException("Dirty bitmap " + file + " is too short for its header: " + channel.size()
                    + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate(BYTES);
        FileIo.readFully(channel, 0, header);
        header.flip();
        long magic = header.getLong();
        int version = header.getInt();
        if (magic != MAGIC) {
            throw new IOException("File " + file + " is not a dirty bitmap (magic " + Long.toHexString(magic)
                    + ", expected " + Long.toHexString(MAGIC) + ")");
        }
        if (version != VERSION) {
            throw new IOException("Dirty bitmap " + file + " has version " + version + ", this code reads "
                    + VERSION);
        }
        int blockBytes = header.getInt();
        return new DirtyBitmapHeader(header.getLong(), blockBytes);
    }

    /** Fails naming {@code file} and what differs when this header was made for another disk. */
    void check(Path file, BlockGeometry geometry) throws IOException {
        if (sizeBytes != geometry.sizeBytes()) {
            throw new IOException("Dirty bitmap " + file + " was made for a disk of " + sizeBytes
                    + " bytes, this disk has " + geometry.sizeBytes());
        }
        if (blockBytes != geometry.blockBytes()) {
            throw new IOException("Dirty bitmap " + file + " was made for blocks of " + blockBytes
                    + " bytes, asked for " + geometry.blockBytes());
        }
    }
}
