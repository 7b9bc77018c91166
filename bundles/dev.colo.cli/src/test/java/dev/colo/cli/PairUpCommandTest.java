package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PairUpCommandTest {
    static JmxClient.DiskStatus disk(String role, String stage, boolean degraded, String error) {
        return new JmxClient.DiskStatus("disk0", role, stage, 1, degraded, 0, 0, 0, error,
                "nbd://127.0.0.1:1/disk0-view", "/l", "/a", "/h");
    }

    @Test
    void shouldWaitForTheDiskRunningOnBothAndThePrimaryNotDegraded() {
        assertTrue(PairUpCommand.diskUp("primary", Optional.of(disk("primary", "RUNNING", false, ""))));
        assertFalse(PairUpCommand.diskUp("primary", Optional.of(disk("primary", "RUNNING", true, ""))));
        assertFalse(PairUpCommand.diskUp("primary", Optional.of(disk("primary", "NONE", false, ""))));
        assertTrue(PairUpCommand.diskUp("secondary", Optional.of(disk("secondary", "RUNNING", false, ""))));
        assertTrue(PairUpCommand.diskUp("secondary", Optional.of(disk("secondary", "RUNNING", true, ""))));
        assertFalse(PairUpCommand.diskUp("secondary", Optional.of(disk("secondary", "DONE", false, ""))));
        assertFalse(PairUpCommand.diskUp("primary", Optional.empty()));
        assertFalse(PairUpCommand.diskUp("secondary", Optional.empty()));
    }

    @Test
    void shouldReportHowTheDiskStands() {
        assertEquals("disk0 not registered (yet)", PairUpCommand.diskReport("disk0", Optional.empty()));
        assertEquals("disk0 RUNNING", PairUpCommand.diskReport("disk0", Optional.of(disk("primary", "RUNNING", false, ""))));
        assertEquals("disk0 RUNNING, degraded",
                PairUpCommand.diskReport("disk0", Optional.of(disk("primary", "RUNNING", true, ""))));
        assertEquals("disk0 NONE (error: no secondary)",
                PairUpCommand.diskReport("disk0", Optional.of(disk("primary", "NONE", false, "no secondary\nat ..."))));
    }
}
