package dev.colo.api.event;

import dev.colo.api.health.NodeHealth;
import java.util.Map;

/**
 * A component of this node failed, or recovered: a thread died of an uncaught error, a guest stopped making
 * progress, a failed component was restarted. The node is {@code FAILED} while any failure is not recovered.
 *
 * @param current   the node's health after the change
 * @param component what failed or recovered ({@code guest kv}, {@code colo-nbd-disk0-io})
 * @param reason    what happened to it
 */
public record NodeHealthChanged(EventSource source, NodeHealth.Status previous, NodeHealth.Status current,
        String component, String reason) implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.NODE_HEALTH_CHANGED;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.PREVIOUS, previous.name());
        properties.put(EventProperties.CURRENT, current.name());
        properties.put(EventProperties.COMPONENT, component);
        properties.put(EventProperties.REASON, reason);
        return properties;
    }

    static NodeHealthChanged read(PropertyReader in) {
        return new NodeHealthChanged(EventSource.fromProperties(in),
                in.enumValue(EventProperties.PREVIOUS, NodeHealth.Status.class),
                in.enumValue(EventProperties.CURRENT, NodeHealth.Status.class), in.string(EventProperties.COMPONENT),
                in.string(EventProperties.REASON));
    }
}
