package dev.colo.api;

import java.util.regex.Pattern;

/**
 * Identity of one appliance node. Also the common name of its certificate, and a level of MQTT topics,
 * so it is restricted to lowercase letters, digits and dashes.
 */
public record NodeId(String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    /** @throws IllegalArgumentException when the value is not 1–63 of {@code [a-z0-9-]}, not starting or ending with '-' */
    public NodeId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "must be 1-63 characters of [a-z0-9-], starting and ending with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
