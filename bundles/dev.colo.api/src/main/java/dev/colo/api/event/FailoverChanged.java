package dev.colo.api.event;

import dev.colo.api.failover.FailoverState;
import java.util.Map;

/**
 * The failover controller changed state: started (REQUESTED), the old primary fenced (ACTIVE), completed
 * (this node is the primary) or failed; {@code reason} says why it started or why it failed.
 *
 * @param elapsedMillis since the failover was requested (0 when it is)
 */
public record FailoverChanged(EventSource source, FailoverState previous, FailoverState current, long elapsedMillis,
        String reason) implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.FAILOVER_CHANGED;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.PREVIOUS, previous.name());
        properties.put(EventProperties.CURRENT, current.name());
        properties.put(EventProperties.ELAPSED_MS, elapsedMillis);
        properties.put(EventProperties.REASON, reason);
        return properties;
    }

    static FailoverChanged read(PropertyReader in) {
        return new FailoverChanged(EventSource.fromProperties(in),
                in.enumValue(EventProperties.PREVIOUS, FailoverState.class),
                in.enumValue(EventProperties.CURRENT, FailoverState.class), in.number(EventProperties.ELAPSED_MS),
                in.string(EventProperties.REASON));
    }
}
