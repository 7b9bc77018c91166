package dev.colo.api.event;

import java.util.Map;

/**
 * This node and its peer both claimed to be primary, and how it was settled: {@code STAY} (this node has the
 * newer data), {@code STEP_DOWN} (the peer has it; this node becomes the secondary and is resynchronised),
 * {@code SPLIT_BRAIN} (each has acknowledged writes the other lacks: this node stops acknowledging until an
 * operator keeps one side), {@code UNDECIDABLE} (both configured primary, nothing tells them apart: both stop
 * acknowledging, as at a split brain) or
 * {@code RESOLVED} (an operator chose).
 *
 * @param peer    the peer's node id
 * @param verdict one of the words above
 * @param reason  what the claims said: epochs, promotions, writes the other lacks
 */
public record RoleConflict(EventSource source, String peer, String verdict, String reason) implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.ROLE_CONFLICT;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.REMOTE, peer);
        properties.put(EventProperties.CURRENT, verdict);
        properties.put(EventProperties.REASON, reason);
        return properties;
    }

    static RoleConflict read(PropertyReader in) {
        return new RoleConflict(EventSource.fromProperties(in), in.string(EventProperties.REMOTE),
                in.string(EventProperties.CURRENT), in.string(EventProperties.REASON));
    }
}
