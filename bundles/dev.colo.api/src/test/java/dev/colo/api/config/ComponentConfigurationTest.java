package dev.colo.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ComponentConfigurationTest {
    private static final Function<Map<String, ?>, Long> PARSER = properties -> new ConfigReader("probe", properties)
            .longInRange("size", 1, 1, 10);

    @Test
    void returnsTheSettingsAndRethrowsARefusalSoThatTheComponentStaysInactive() {
        assertEquals(7L, ComponentConfiguration.parse(LoggerFactory.getLogger(getClass()), Map.of("size", "7",
                "sise", "8"), PARSER, properties -> List.of("sise"), size -> "probe", "the probe"));
        InvalidConfigurationException refusal = assertThrows(InvalidConfigurationException.class,
                () -> PARSER.apply(Map.of("size", "70")));
        InvalidConfigurationException thrown = assertThrows(InvalidConfigurationException.class,
                () -> ComponentConfiguration.parse(LoggerFactory.getLogger(getClass()), Map.of("size", "70"),
                        properties -> {
                            throw refusal;
                        }, properties -> List.of(), size -> "probe", "the probe"));
        assertSame(refusal, thrown);
    }
}
