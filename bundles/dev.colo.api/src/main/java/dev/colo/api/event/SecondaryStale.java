package dev.colo.api.event;

import java.util.Map;

/**
 * A secondary stopped ({@code stale} true) or started again ({@code stale} false) holding the primary's state. A
 * stale secondary never takes over by itself: its components stopped, its contact with the primary was lost and came
 * back, it stalled, or the primary ended protection; it holds the state again once the next checkpoint is loaded.
 *
 * @param epoch  the epoch it loaded last (-1: none since its checkpoint coordinator started)
 * @param reason why it is stale, or which checkpoint it loaded
 */
public record SecondaryStale(EventSource source, long epoch, boolean stale, String reason) implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.SECONDARY_STALE;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.EPOCH, epoch);
        properties.put(EventProperties.STALE, stale);
        properties.put(EventProperties.REASON, reason);
        return properties;
    }

    static SecondaryStale read(PropertyReader in) {
        return new SecondaryStale(EventSource.fromProperties(in), in.number(EventProperties.EPOCH),
                in.bool(EventProperties.STALE), in.string(EventProperties.REASON));
    }
}
