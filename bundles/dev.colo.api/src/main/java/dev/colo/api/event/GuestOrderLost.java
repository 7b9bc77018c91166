package dev.colo.api.event;

import java.util.Map;

/**
 * The secondary's guest stopped following the primary's execution order (a command the order names did not arrive
 * in time, or the order could not be right); it runs commands as they arrive until the next checkpoint, which the
 * primary asks for at once.
 *
 * @param reason what it could not follow
 */
public record GuestOrderLost(EventSource source, String guest, String reason) implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.GUEST_ORDER_LOST;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.GUEST, guest);
        properties.put(EventProperties.REASON, reason);
        return properties;
    }

    static GuestOrderLost read(PropertyReader in) {
        return new GuestOrderLost(EventSource.fromProperties(in), in.string(EventProperties.GUEST),
                in.string(EventProperties.REASON));
    }
}
