package dev.colo.api.event;

import org.osgi.service.event.Event;

/** Reads typed properties of an OSGi event, failing with the key name when one is missing or mistyped. */
final class PropertyReader {
    private final Event event;

    PropertyReader(Event event) {
        this.event = event;
    }

    String string(String key) {
        Object value = event.getProperty(key);
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(describe(key, "String", value));
    }

    long number(String key) {
        Object value = event.getProperty(key);
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException(describe(key, "Long", value));
    }

    java.util.Optional<Long> optionalNumber(String key) {
        return event.getProperty(key) == null ? java.util.Optional.empty() : java.util.Optional.of(number(key));
    }

    boolean bool(String key) {
        Object value = event.getProperty(key);
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(describe(key, "Boolean", value));
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        return Enum.valueOf(type, string(key));
    }

    private String describe(String key, String expected, Object value) {
        return "Event " + event.getTopic() + ": property '" + key + "' should be a " + expected + " but is "
                + (value == null ? "missing" : value.getClass().getSimpleName() + " " + value);
    }
}
