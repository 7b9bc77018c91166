package dev.colo.failover.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.config.InvalidConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverSettingsTest {
    @Test
    void defaultsAreAutomaticWithoutFencing() {
        FailoverSettings settings = FailoverSettings.parse(Map.of());
        assertTrue(settings.automatic());
        assertEquals(FailoverSettings.Fencing.NONE, settings.fencing());
        assertEquals(5000, settings.fencingTimeoutMillis());
    }

    @Test
    void badValuesAreNamed() {
        for (Map<String, String> bad : new Map[] {Map.of("fencing", "stonith"), Map.of("automatic", "yes"),
                Map.of("fencing", "command"), Map.of("fencing.timeout.ms", "0")}) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> FailoverSettings.parse(bad));
            String key = bad.containsKey("fencing") && bad.get("fencing").equals("command") ? "fencing.command"
                    : bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        }
    }
}
