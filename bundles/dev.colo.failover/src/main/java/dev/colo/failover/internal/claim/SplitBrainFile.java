package dev.colo.failover.internal.claim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Whether this node stopped at a split brain, and why: kept in a file so that a restart does not forget that its
 * data and the peer's diverged and an operator must choose (only {@link #clear()}, by the operator's resolution,
 * ends it).
 */
public final class SplitBrainFile {
    private final Path file;
    private volatile String reason;

    public SplitBrainFile(Path file) {
        this.file = file;
        String read;
        try {
            read = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "";
        } catch (IOException e) {
            // unreadable: stay stopped rather than forget; the operator's resolution rewrites it
            read = "unreadable split-brain record " + file + ": " + e.getMessage();
        }
        reason = read;
    }

    public boolean active() {
        return !reason.isEmpty();
    }

    public String reason() {
        return reason;
    }

    /** Records the split brain durably before this node acts on it. */
    public void set(String why) {
        write(why.isEmpty() ? "split brain" : why);
    }

    public void clear() {
        write("");
    }

    private synchronized void write(String value) {
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, value, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the split brain in " + file, e);
        }
        reason = value;
    }
}
