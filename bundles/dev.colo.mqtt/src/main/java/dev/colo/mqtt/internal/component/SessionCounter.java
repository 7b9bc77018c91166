package dev.colo.mqtt.internal.component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Counts the publisher's starts in a file of the bundle's data: each start is a new session. */
final class SessionCounter {
    private SessionCounter() {
    }

    /** The next session: one more than the last one recorded in {@code file} (1 for the first). */
    static long next(Path file) throws IOException {
        long last = 0;
        if (Files.isRegularFile(file)) {
            try {
                last = Long.parseLong(Files.readString(file).trim());
            } catch (NumberFormatException e) {
                throw new IOException(file + " does not hold a session counter: " + e.getMessage(), e);
            }
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, Long.toString(last + 1));
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return last + 1;
    }
}
