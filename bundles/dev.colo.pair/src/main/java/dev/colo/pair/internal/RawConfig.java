package dev.colo.pair.internal;

import static dev.colo.pair.internal.InvalidSettingException.invalid;
import static dev.colo.pair.internal.InvalidSettingException.missing;

import java.util.Map;

/**
 * Typed reads of raw configuration values (Strings from a .cfg file, or numbers through ConfigAdmin),
 * each failure naming the key and quoting the value.
 */
final class RawConfig {
    private final Map<String, ?> properties;

    RawConfig(Map<String, ?> properties) {
        this.properties = properties;
    }

    /** The trimmed value, or empty string when absent. */
    String text(String key) {
        Object value = properties.get(key);
        return value == null ? "" : String.valueOf(value).trim();
    }

    String required(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            throw missing(key);
        }
        return value;
    }

    String optional(String key, String defaultValue) {
        String value = text(key);
        return value.isEmpty() ? defaultValue : value;
    }

    long longInRange(String key, long defaultValue, long min, long max) {
        String value = text(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(key, value, "not an integer");
        }
        if (parsed < min || parsed > max) {
            throw invalid(key, value, "must be between " + min + " and " + max);
        }
        return parsed;
    }

    int intInRange(String key, int defaultValue, int min, int max) {
        return (int) longInRange(key, defaultValue, min, max);
    }

    int port(String key, int defaultValue) {
        return intInRange(key, defaultValue, 1, 65_535);
    }
}
