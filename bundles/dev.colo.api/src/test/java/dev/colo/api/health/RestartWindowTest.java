package dev.colo.api.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RestartWindowTest {
    @Test
    void atMostTheLimitWithinTheWindowThenAgainOnceOneLeftIt() {
        RestartWindow window = new RestartWindow(3, 600_000);
        assertTrue(window.allow(0));
        assertTrue(window.allow(1_000));
        assertTrue(window.allow(2_000));
        assertFalse(window.allow(3_000), "a fourth within ten minutes");
        assertFalse(window.allow(599_999));
        assertTrue(window.allow(600_000), "the first left the window");
        assertFalse(window.allow(600_500));
    }
}
