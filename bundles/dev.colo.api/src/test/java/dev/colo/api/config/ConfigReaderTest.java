package dev.colo.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.ColoErrorCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
    private static ConfigReader reader(Map<String, ?> properties) {
        return new ConfigReader("dev.colo.test", properties);
    }

    @Test
    void shouldReadTypedValuesFromStringsAndNumbers() {
        ConfigReader config = reader(Map.of("port", " 7800 ", "size", 42L, "flag", "TRUE", "path", "/var/x.img"));

        assertEquals(7800, config.port("port", 1));
        assertEquals(42, config.longInRange("size", 0, 0, 100));
        assertTrue(config.bool("flag", false));
        assertFalse(config.bool("absent", false));
        assertEquals(Path.of("/var/x.img"), config.absolutePath("path"));
        assertEquals("dflt", config.optional("absent", "dflt"));
    }

    @Test
    void shouldNamePidKeyAndValueInEveryRefusal() {
        ConfigReader config = reader(Map.of("port", "eighty", "flag", "yes", "path", "relative/x.img", "n", "7"));

        assertRefused(() -> config.port("port", 1), "port", "eighty", "not an integer");
        assertRefused(() -> config.bool("flag", false), "flag", "yes", "true or false");
        assertRefused(() -> config.absolutePath("path"), "path", "relative/x.img", "absolute");
        assertRefused(() -> config.longInRange("n", 0, 10, 20), "n", "7", "between 10 and 20");
        InvalidConfigurationException missing = assertThrows(InvalidConfigurationException.class,
                () -> config.required("absent"));
        assertEquals(ColoErrorCode.CONFIG_MISSING, missing.code());
        assertTrue(missing.getMessage().contains("dev.colo.test") && missing.getMessage().contains("'absent'"));
    }

    @Test
    void shouldListUnknownKeysButNotFrameworkOnes() {
        ConfigReader config = reader(Map.of("port", "1", "prot", "2", "service.pid", "x", "felix.fileinstall.filename",
                "y", "component.id", 3));

        assertEquals(List.of("prot"), config.unknownKeys(Set.of("port")));
    }

    private static void assertRefused(Runnable read, String key, String value, String reason) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, read::run);
        assertEquals(ColoErrorCode.CONFIG_INVALID, e.code());
        assertEquals("dev.colo.test", e.pid());
        assertEquals(key, e.key());
        assertEquals(value, e.value());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
