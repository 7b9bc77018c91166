package dev.colo.mqtt.internal.message;

import java.util.Map;

/**
 * What one OSGi event publishes, before the envelope: an event (kept until the broker has it) or a state snapshot
 * (retained, replaced by the next).
 *
 * @param kind what it is
 * @param path the topic below {@code <prefix>/<node>/}, e.g. {@code event/failover/completed}
 * @param type the envelope's type, e.g. {@code failover.completed}
 * @param data the envelope's data
 */
public record Publication(Kind kind, String path, String type, Map<String, Object> data) {
    /** Where a publication goes. */
    public enum Kind {
        /** QoS 1, not retained; kept on disk until the broker acknowledged it. */
        EVENT,
        /** QoS 1, retained; only the latest of a path matters, republished at every connection. */
        STATE
    }

    public static Publication event(String path, String type, Map<String, Object> data) {
        return new Publication(Kind.EVENT, path, type, data);
    }

    public static Publication state(String path, String type, Map<String, Object> data) {
        return new Publication(Kind.STATE, path, type, data);
    }
}
