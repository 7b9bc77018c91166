package dev.colo.api.event;

import dev.colo.api.Role;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who posted an event and when: the common part of every event.
 *
 * @param node      node id, or {@value #UNKNOWN_NODE} when the configuration naming it was refused
 * @param role      the node's role, {@code null} when unknown
 * @param timestamp when the change happened
 */
public record EventSource(String node, Role role, Instant timestamp) {
    /** Node name used before a valid node id is known. */
    public static final String UNKNOWN_NODE = "unknown";

    public EventSource {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** A source stamped now. */
    public static EventSource now(String node, Role role) {
        return new EventSource(node, role, Instant.now());
    }

    /** This node as {@code pair} names it, stamped now; {@value #UNKNOWN_NODE} without a valid pair configuration. */
    public static EventSource now(dev.colo.api.pair.PairConfiguration pair) {
        return pair == null ? now(UNKNOWN_NODE, null) : now(pair.settings().nodeId().value(), pair.settings().role());
    }

    /** The common properties, in a mutable map the event adds its own to. */
    Map<String, Object> toProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(EventProperties.NODE, node);
        properties.put(EventProperties.ROLE, role == null ? "unknown" : role.configValue());
        properties.put(EventProperties.TIMESTAMP, timestamp.toEpochMilli());
        return properties;
    }

    static EventSource fromProperties(PropertyReader in) {
        String role = in.string(EventProperties.ROLE);
        return new EventSource(in.string(EventProperties.NODE),
                "unknown".equals(role) ? null : Role.parse(role),
                Instant.ofEpochMilli(in.number(EventProperties.TIMESTAMP)));
    }
}
