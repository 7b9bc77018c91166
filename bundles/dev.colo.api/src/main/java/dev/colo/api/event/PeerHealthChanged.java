package dev.colo.api.event;

import dev.colo.api.heartbeat.PeerHealth;
import java.util.Map;

/** The failure detector changed its view of the peer. */
public record PeerHealthChanged(EventSource source, PeerHealth previous, PeerHealth current, long silenceMillis)
        implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.PEER_HEALTH_CHANGED;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.PREVIOUS, previous.name());
        properties.put(EventProperties.CURRENT, current.name());
        properties.put(EventProperties.SILENCE_MS, silenceMillis);
        return properties;
    }

    static PeerHealthChanged read(PropertyReader in) {
        return new PeerHealthChanged(EventSource.fromProperties(in),
                in.enumValue(EventProperties.PREVIOUS, PeerHealth.class),
                in.enumValue(EventProperties.CURRENT, PeerHealth.class),
                in.number(EventProperties.SILENCE_MS));
    }
}
