package dev.colo.checkpoint.internal.component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last epoch this node completed (primary) or loaded (secondary), kept in the bundle's data so that epochs
 * go on across restarts, role changes and failovers. Written after each checkpoint, off the guest's pause, by a
 * rename (never a torn number); not forced to disk: after a power loss the numbers may repeat, nothing else.
 */
final class LastEpochFile {
    private static final Logger logger = LoggerFactory.getLogger(LastEpochFile.class);

    private final Path file;

    LastEpochFile(Path file) {
        this.file = file;
    }

    /** The last epoch written; 0 when there is none or it cannot be read (logged). */
    long read() {
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            long epoch = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
            return Math.max(0, epoch);
        } catch (IOException | NumberFormatException e) {
            logger.warn("Checkpoint: {} unreadable ({}); epochs start again at 1", file, e.toString());
            return 0;
        }
    }

    void write(long epoch) {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try {
            Files.writeString(next, Long.toString(epoch), StandardCharsets.US_ASCII);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            logger.warn("Checkpoint: cannot record epoch {} in {}: {}", epoch, file, e.toString());
        }
    }
}
