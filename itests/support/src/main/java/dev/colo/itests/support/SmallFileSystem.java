package dev.colo.itests.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A small tmpfs mounted for a test, to run out of space on purpose: {@link #fill()} writes a ballast file until the
 * file system is full, {@link #free()} deletes it. Needs root ({@code mount}); {@link #close()} unmounts lazily (files
 * a node still holds open stay readable until it closes them).
 */
final class SmallFileSystem implements AutoCloseable {
    private static final int CHUNK = 1 << 20;
    private final Path mountPoint;

    private SmallFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Why a tmpfs cannot be mounted here; empty if it can. */
    static Optional<String> unavailable(Path scratch) {
        try (SmallFileSystem probe = mount(scratch.resolve("tmpfs-probe"), 1 << 20)) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot mount a tmpfs (root is needed): " + e.getMessage());
        }
    }

    /** A tmpfs of {@code bytes} at {@code mountPoint} (created). */
    static SmallFileSystem mount(Path mountPoint, long bytes) throws IOException {
        Files.createDirectories(mountPoint);
        Processes.require(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", mountPoint.toString()));
        return new SmallFileSystem(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    /** Writes a ballast file until the file system is full; returns the bytes written. */
    long fill() throws IOException {
        long written = 0;
        byte[] chunk = new byte[CHUNK];
        try (OutputStream out = Files.newOutputStream(ballast())) {
            while (true) {
                out.write(chunk);
                written += CHUNK;
            }
        } catch (IOException full) {
            return written; // ENOSPC: what was wanted
        }
    }

    /** Deletes the ballast: the space is there again. */
    void free() throws IOException {
        Files.deleteIfExists(ballast());
    }

    private Path ballast() {
        return mountPoint.resolve("ballast");
    }

    @Override
    public void close() throws IOException {
        Processes.require(List.of("umount", "-l", mountPoint.toString()));
    }
}
