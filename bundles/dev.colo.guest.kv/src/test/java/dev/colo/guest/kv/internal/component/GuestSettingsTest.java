package dev.colo.guest.kv.internal.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.config.InvalidConfigurationException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestSettingsTest {
    private static final long HEAP = 256L << 20;

    private static Map<String, Object> config(String... keysAndValues) {
        Map<String, Object> config = new HashMap<>(Map.of("listen.port", "7000", "disk", "disk0"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    @Test
    void theMemoryBoundIsAnEighthOfTheHeapAndTheBulkLimitFitsIt() {
        GuestSettings settings = GuestSettings.parse(config(), HEAP);
        assertEquals(32L << 20, settings.maxMemoryBytes());
        assertEquals(16 << 20, settings.maxBulkBytes());
        assertFalse(settings.debugCommands());
        assertEquals(10_000, settings.watchdogMillis());
        assertEquals(4L << 20, GuestSettings.parse(config(), 32L << 20).maxMemoryBytes());
        assertEquals(4 << 20, GuestSettings.parse(config(), 32L << 20).maxBulkBytes(), "never above the bound");
    }

    @Test
    void boundsBeyondWhatTheHeapCanHoldOrValuesThatCouldNeverBeStoredAreRefusedByName() {
        InvalidConfigurationException tooBig = assertThrows(InvalidConfigurationException.class,
                () -> GuestSettings.parse(config("max.memory.bytes", Long.toString(HEAP)), HEAP));
        assertTrue(tooBig.getMessage().contains("max.memory.bytes"), tooBig.getMessage());
        InvalidConfigurationException bulk = assertThrows(InvalidConfigurationException.class,
                () -> GuestSettings.parse(config("max.memory.bytes", "2000000", "proto.max.bulk.len", "3000000"), HEAP));
        assertTrue(bulk.getMessage().contains("proto.max.bulk.len"), bulk.getMessage());
        InvalidConfigurationException debug = assertThrows(InvalidConfigurationException.class,
                () -> GuestSettings.parse(config("debug.commands", "yes"), HEAP));
        assertTrue(debug.getMessage().contains("debug.commands"), debug.getMessage());
    }
}
