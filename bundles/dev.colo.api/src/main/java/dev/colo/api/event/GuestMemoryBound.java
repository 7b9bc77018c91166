package dev.colo.api.event;

import java.util.Map;

/**
 * A guest began refusing writes because its data reached its memory bound ({@code refusing} true), or accepted
 * a write again ({@code refusing} false). Reads and writes that shrink the data are never refused.
 *
 * @param usedBytes the guest's data, as its bound counts it
 * @param maxBytes  the bound
 */
public record GuestMemoryBound(EventSource source, String guest, boolean refusing, long usedBytes, long maxBytes)
        implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.GUEST_MEMORY_BOUND;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.GUEST, guest);
        properties.put(EventProperties.REFUSING, refusing);
        properties.put(EventProperties.USED_BYTES, usedBytes);
        properties.put(EventProperties.MAX_BYTES, maxBytes);
        return properties;
    }

    static GuestMemoryBound read(PropertyReader in) {
        return new GuestMemoryBound(EventSource.fromProperties(in), in.string(EventProperties.GUEST),
                in.bool(EventProperties.REFUSING), in.number(EventProperties.USED_BYTES),
                in.number(EventProperties.MAX_BYTES));
    }
}
