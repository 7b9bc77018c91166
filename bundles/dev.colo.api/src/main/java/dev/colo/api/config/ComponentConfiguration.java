package dev.colo.api.config;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * How every component takes its configuration: a value that does not parse is logged, naming the key and what stays
 * inactive, and thrown again so that SCR leaves the component inactive; keys nobody knows are logged as probably
 * misspelt.
 */
public final class ComponentConfiguration {
    private ComponentConfiguration() {
    }

    /**
     * @param parser      the settings' validating parser
     * @param unknownKeys the keys of {@code properties} the settings do not know
     * @param label       the configuration in words for the warning, e.g. its PID and name
     * @param what        what stays inactive on a bad value, e.g. {@code the guest}
     */
    public static <S> S parse(Logger logger, Map<String, ?> properties, Function<Map<String, ?>, S> parser,
            Function<Map<String, ?>, List<String>> unknownKeys, Function<S, String> label, String what) {
        S settings;
        try {
            settings = parser.apply(properties);
        } catch (InvalidConfigurationException e) {
            logger.error("{} — {} stays inactive until this is corrected", e.getMessage(), what);
            throw e;
        }
        List<String> unknown = unknownKeys.apply(properties);
        if (!unknown.isEmpty()) {
            logger.warn("Configuration {}: ignoring unknown keys {} (misspelt?)", label.apply(settings), unknown);
        }
        return settings;
    }
}
