package dev.colo.mqtt.internal.message;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.colo.api.event.EventProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Makes the messages of one publisher session, each in the one envelope every payload has:
 * {@code {"schema", "type", "node", "role", "session", "seq", "time", ["epoch",] "data"}}. Sequence numbers count the
 * messages of the session from 1, in the order they are made.
 */
public final class Envelopes {
    /** The envelope's schema id; a new one if a field ever changes meaning. */
    public static final String SCHEMA = "colo.mqtt.v1";
    /** Status values of {@code <prefix>/<node>/status}. */
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";
    public static final String LOST = "lost";

    private final String nodeTopic;
    private final String node;
    private final long session;
    private final Supplier<String> role;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    public Envelopes(String topicPrefix, String node, long session, Supplier<String> role, Clock clock) {
        this.nodeTopic = topicPrefix + "/" + node + "/";
        this.node = node;
        this.session = session;
        this.role = role;
        this.clock = clock;
    }

    /** The node's retained status topic: {@code <prefix>/<node>/status}. */
    public String statusTopic() {
        return nodeTopic + "status";
    }

    /** {@code online}, {@code offline} or {@code lost}, retained; with this session's counter. */
    public Outbound status(String status) {
        return make(statusTopic(), "status", true, null, role.get(), Map.of("status", status));
    }

    /** A publication of an event with the event's {@code properties} (its role and epoch go to the envelope). */
    public Outbound of(Publication publication, Map<String, ?> properties) {
        Object role = properties.get(EventProperties.ROLE);
        return make(nodeTopic + publication.path(), publication.type(),
                publication.kind() == Publication.Kind.STATE, properties.get(EventProperties.EPOCH),
                role == null ? this.role.get() : role.toString(), publication.data());
    }

    /** A snapshot of something that changed without an event, e.g. a disk that appeared (retained). */
    public Outbound state(String path, String type, Map<String, Object> data) {
        return make(nodeTopic + path, type, true, null, role.get(), data);
    }

    /** An event of the publisher itself (not retained). */
    public Outbound event(String path, String type, Map<String, Object> data) {
        return make(nodeTopic + path, type, false, null, role.get(), data);
    }

    /** Removes the retained snapshot at {@code path}: an empty retained payload. */
    public Outbound removed(String path) {
        return new Outbound(nodeTopic + path, new byte[0], true, 0);
    }

    public long session() {
        return session;
    }

    public long lastSequence() {
        return sequence.get();
    }

    private Outbound make(String topic, String type, boolean retained, Object epoch, String role,
            Map<String, Object> data) {
        long seq = sequence.incrementAndGet();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("schema", SCHEMA);
        envelope.put("type", type);
        envelope.put("node", node);
        envelope.put("role", role);
        envelope.put("session", session);
        envelope.put("seq", seq);
        envelope.put("time", clock.instant().toString());
        if (epoch != null) {
            envelope.put("epoch", epoch);
        }
        envelope.put("data", data);
        try {
            return new Outbound(topic, JSON.std.asBytes(envelope), retained, seq);
        } catch (IOException e) {
            throw new UncheckedIOException("an envelope as JSON: " + envelope, e);
        }
    }
}
