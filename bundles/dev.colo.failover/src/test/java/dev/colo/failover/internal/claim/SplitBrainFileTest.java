package dev.colo.failover.internal.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitBrainFileTest {
    @TempDir
    Path dir;

    @Test
    void aSplitBrainSurvivesARestartUntilAnOperatorClearsIt() {
        Path file = dir.resolve("split-brain");
        SplitBrainFile first = new SplitBrainFile(file);
        assertFalse(first.active());
        first.set("colo-b: each has writes the other lacks");
        SplitBrainFile restarted = new SplitBrainFile(file);
        assertTrue(restarted.active());
        assertEquals("colo-b: each has writes the other lacks", restarted.reason());
        restarted.clear();
        assertFalse(new SplitBrainFile(file).active());
    }

    @Test
    void anUnreadableRecordKeepsTheNodeStopped() throws IOException {
        Path file = dir.resolve("split-brain");
        Files.createDirectory(file); // reading a directory fails
        SplitBrainFile record = new SplitBrainFile(file);
        assertTrue(record.active(), "forgetting a split brain could discard writes");
        assertTrue(record.reason().contains("unreadable"));
    }
}
