package dev.colo.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Small state files that a crash leaves either old or new, never torn: written beside, forced, renamed
 * over the old one. Layout (big-endian): magic "COST" (4), payload length (4), CRC32 of the payload (4),
 * payload.
 */
public final class StateFile {
    static final int MAGIC = 0x434F5354; // "COST"
    static final int HEADER_BYTES = 12;

    private StateFile() {
    }

    /** Replaces {@code file} by {@code payload} atomically and durably. */
    public static void write(Path file, byte[] payload) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ByteBuffer content = ByteBuffer.allocate(HEADER_BYTES + payload.length).putInt(MAGIC)
                .putInt(payload.length).putInt(crc(payload, 0, payload.length)).put(payload).flip();
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            FileIo.writeFully(channel, 0, content);
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        FileIo.forceDirectory(directoryOf(file));
    }

    /** The payload of {@code file}, empty if absent; an IOException naming the file if it is damaged. */
    public static Optional<byte[]> read(Path file) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (content.length < HEADER_BYTES) {
            throw damaged(file, "only " + content.length + " bytes, shorter than its header");
        }
        ByteBuffer header = ByteBuffer.wrap(content, 0, HEADER_BYTES);
        int magic = header.getInt();
        int length = header.getInt();
        int crc = header.getInt();
        if (magic != MAGIC) {
            throw damaged(file, "magic " + Integer.toHexString(magic) + " instead of " + Integer.toHexString(MAGIC));
        }
        if (length != content.length - HEADER_BYTES) {
            throw damaged(file, "header says " + length + " payload bytes, file holds "
                    + (content.length - HEADER_BYTES));
        }
        if (crc != crc(content, HEADER_BYTES, length)) {
            throw damaged(file, "CRC32 mismatch");
        }
        return Optional.of(Arrays.copyOfRange(content, HEADER_BYTES, content.length));
    }

    /** Deletes {@code file} if present, durably. */
    public static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
        FileIo.forceDirectory(directoryOf(file));
    }

    private static Path directoryOf(Path file) {
        return file.toAbsolutePath().getParent();
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static IOException damaged(Path file, String what) {
        return new IOException("State file " + file + " is damaged: " + what);
    }
}
