package dev.colo.guest.kv.internal.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WatchdogTest {
    private static final long MS = 1_000_000;
    private final Watchdog watchdog = new Watchdog(1_000);

    @Test
    void commandsInProgressWithNoneCompletingForTheTimeoutAreAHang() {
        assertFalse(watchdog.hung(0, new PauseGate.Progress(1, 10)));
        assertFalse(watchdog.hung(999 * MS, new PauseGate.Progress(1, 10)));
        assertTrue(watchdog.hung(1_000 * MS, new PauseGate.Progress(1, 10)));
    }

    @Test
    void anyCompletedCommandOrAnIdleGuestIsNoHang() {
        watchdog.hung(0, new PauseGate.Progress(2, 10));
        assertFalse(watchdog.hung(900 * MS, new PauseGate.Progress(2, 11)), "progress");
        assertFalse(watchdog.hung(1_800 * MS, new PauseGate.Progress(2, 11)), "a timeout after the last progress");
        assertFalse(watchdog.hung(5_000 * MS, new PauseGate.Progress(0, 11)), "idle, however long");
        assertFalse(watchdog.hung(5_500 * MS, new PauseGate.Progress(1, 11)));
        assertTrue(watchdog.hung(6_000 * MS, new PauseGate.Progress(1, 11)));
    }
}
