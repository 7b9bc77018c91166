package dev.colo.api.event;

import dev.colo.api.transport.LinkState;
import java.util.Map;

/** The peer link changed state. */
public record LinkStateChanged(EventSource source, LinkState previous, LinkState current, String reason)
        implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.LINK_STATE_CHANGED;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.PREVIOUS, previous.name());
        properties.put(EventProperties.CURRENT, current.name());
        properties.put(EventProperties.REASON, reason);
        return properties;
    }

    static LinkStateChanged read(PropertyReader in) {
        return new LinkStateChanged(EventSource.fromProperties(in),
                in.enumValue(EventProperties.PREVIOUS, LinkState.class),
                in.enumValue(EventProperties.CURRENT, LinkState.class),
                in.string(EventProperties.REASON));
    }
}
