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
        first.set("colo-b", "colo-b: each has writes the other lacks", 1_700_000_000_000L);
        SplitBrainFile restarted = new SplitBrainFile(file);
        assertTrue(restarted.active());
        assertEquals("colo-b: each has writes the other lacks", restarted.reason());
        assertEquals("colo-b", restarted.peer(), "the peer an operator may keep while the link is down");
        restarted.clear();
        assertFalse(new SplitBrainFile(file).active());
    }

    @Test
    void onlyAPeerPromotedAgainWasKeptByAnOperator() throws IOException {
        Path file = dir.resolve("split-brain");
        new SplitBrainFile(file).set("colo-b", "colo-b: each has writes the other lacks", 1_700_000_000_000L);
        SplitBrainFile restarted = new SplitBrainFile(file);

        assertFalse(restarted.keptThePeer(1_700_000_000_000L), "the peer's claim of the split brain itself");
        assertTrue(restarted.keptThePeer(1_700_000_090_000L), "promoted again: resolveSplitBrain on the peer");
        Files.writeString(file, "colo-b: a record of an older version, without the peer's promotion");
        assertTrue(new SplitBrainFile(file).keptThePeer(1_700_000_000_000L), "as that version did");
        assertEquals("colo-b: a record of an older version, without the peer's promotion",
                new SplitBrainFile(file).reason());
        assertEquals("", new SplitBrainFile(file).peer());
        Files.writeString(file, "peer.promoted.at.ms=1700000000000\ncolo-b: a record without the peer's id");
        assertEquals("colo-b: a record without the peer's id", new SplitBrainFile(file).reason());
        assertFalse(new SplitBrainFile(file).keptThePeer(1_700_000_000_000L));
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
