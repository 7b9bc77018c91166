package dev.colo.api.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed reads of one configuration's raw values, each failure an {@link InvalidConfigurationException}
 * naming the PID, the key and the value.
 */
public final class ConfigReader {
    /** Prefixes of keys that the framework adds to every configuration, or a component to its own properties. */
    private static final List<String> FRAMEWORK_PREFIXES =
            List.of("service.", "component.", "felix.", "osgi.", "webconsole.", "event.topics");

    private final String pid;
    private final Map<String, ?> properties;

    public ConfigReader(String pid, Map<String, ?> properties) {
        this.pid = pid;
        this.properties = properties;
    }

    public String pid() {
        return pid;
    }

    /** The trimmed value, or the empty string when absent. */
    public String text(String key) {
        Object value = properties.get(key);
        return value == null ? "" : String.valueOf(value).trim();
    }

    public String required(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            throw InvalidConfigurationException.missing(pid, key);
        }
        return value;
    }

    public String optional(String key, String defaultValue) {
        String value = text(key);
        return value.isEmpty() ? defaultValue : value;
    }

    public long longInRange(String key, long defaultValue, long min, long max) {
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

    public int intInRange(String key, int defaultValue, int min, int max) {
        return (int) longInRange(key, defaultValue, min, max);
    }

    /** A TCP port, 1-65535. */
    public int port(String key, int defaultValue) {
        return intInRange(key, defaultValue, 1, 65_535);
    }

    /** {@code true} or {@code false}, in any case; anything else is refused. */
    public boolean bool(String key, boolean defaultValue) {
        String value = text(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, value, "must be true or false");
        };
    }

    /** A required absolute path (its existence is the caller's to check). */
    public Path absolutePath(String key) {
        return absolutePath(key, required(key));
    }

    /** {@code raw} as an absolute path, refused against {@code key}. */
    public Path absolutePath(String key, String raw) {
        try {
            Path path = Path.of(raw);
            if (!path.isAbsolute()) {
                throw invalid(key, raw, "must be an absolute path");
            }
            return path;
        } catch (InvalidPathException e) {
            throw invalid(key, raw, "not a path: " + e.getReason());
        }
    }

    /** Keys present that are not {@code known} (probably misspelt), framework keys ignored; sorted. */
    public List<String> unknownKeys(Collection<String> known) {
        return properties.keySet().stream()
                .filter(key -> !known.contains(key))
                .filter(key -> FRAMEWORK_PREFIXES.stream().noneMatch(key::startsWith))
                .sorted()
                .toList();
    }

    /** A refusal of {@code key} of this configuration. */
    public InvalidConfigurationException invalid(String key, Object value, String reason) {
        return InvalidConfigurationException.invalid(pid, key, value, reason);
    }
}
