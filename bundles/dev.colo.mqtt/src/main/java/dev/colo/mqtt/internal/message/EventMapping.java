package dev.colo.mqtt.internal.message;

import dev.colo.api.event.ColoTopics;
import dev.colo.api.event.EventProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which MQTT publications an OSGi event of the appliance makes (a pure function: no broker, no OSGi framework).
 * Every {@code dev/colo/<concern>/<event>} is an event {@code event/<concern>/<event>}; a few have names alerting
 * systems subscribe to ({@code event/failover/started}, {@code event/peer/dead}, {@code event/proxy/listen-failed},
 * …), and those that change what the node is also update a retained snapshot under {@code state/}.
 */
public final class EventMapping {
    /** Properties the envelope carries itself, so not repeated in its data. */
    static final Set<String> ENVELOPE_PROPERTIES = Set.of("event.topics", EventProperties.NODE, EventProperties.ROLE,
            EventProperties.TIMESTAMP, EventProperties.EPOCH);

    private EventMapping() {
    }

    /** The publications of the event on {@code topic} with {@code properties}; none for a topic not ours. */
    public static List<Publication> map(String topic, Map<String, ?> properties) {
        if (!topic.startsWith(ColoTopics.PREFIX)) {
            return List.of();
        }
        String[] levels = topic.substring(ColoTopics.PREFIX.length()).split("/");
        if (levels.length != 2) {
            return List.of();
        }
        Map<String, Object> data = data(properties);
        String current = lower(properties.get(EventProperties.CURRENT));
        List<Publication> publications = new ArrayList<>();
        switch (topic) {
            case ColoTopics.FAILOVER_CHANGED -> {
                String event = current.equals("requested") ? "started" : current;
                if (!event.equals("none")) {
                    publications.add(event("failover", event, data));
                }
                publications.add(Publication.state("state/failover", "failover.state", data));
            }
            case ColoTopics.PEER_HEALTH_CHANGED -> {
                publications.add(event("peer", current, data));
                publications.add(Publication.state("state/peer", "peer.state", data));
            }
            case ColoTopics.LINK_STATE_CHANGED -> {
                publications.add(event("link", levels[1], data));
                publications.add(Publication.state("state/link", "link.state", data));
            }
            case ColoTopics.REPLICATION_STAGE_CHANGED -> {
                publications.add(event("replication", levels[1], data));
                publications.add(Publication.state("state/replication/" + level(properties.get(EventProperties.DISK)),
                        "replication.state", data));
            }
            case ColoTopics.REPLICATION_DEGRADED -> publications.add(event("replication",
                    Boolean.TRUE.equals(properties.get(EventProperties.DEGRADED)) ? "error" : "recovered", data));
            case ColoTopics.REPLICATION_RESYNC -> publications.add(event("replication",
                    Boolean.TRUE.equals(properties.get(EventProperties.DONE)) ? "resync-done" : "resync-progress", data));
            case ColoTopics.NODE_HEALTH_CHANGED -> {
                publications.add(event("node", current.equals("failed") ? "failed" : "recovered", data));
                publications.add(Publication.state("state/health", "node.health", data));
            }
            case ColoTopics.PROXY_LISTENING -> publications.add(event("proxy", listening(properties), data));
            case ColoTopics.ROLE_CONFLICT -> {
                publications.add(event("failover", levels[1], data));
                if (current.equals("split_brain") || current.equals("undecidable")) { // both stop either way
                    publications.add(event("failover", "split-brain", data)); // what alerting subscribes to
                }
            }
            default -> publications.add(event(levels[0], levels[1], data));
        }
        return publications;
    }

    /** A service's clients are refused from a {@code listen-failed} until its {@code listening}. */
    private static String listening(Map<String, ?> properties) {
        if (Boolean.TRUE.equals(properties.get(EventProperties.LISTENING))) {
            return "listening";
        }
        Object error = properties.get(EventProperties.ERROR);
        return error == null || error.toString().isEmpty() ? "stopped-listening" : "listen-failed";
    }

    /** A value as one topic level: {@code /}, {@code +}, {@code #} and spaces would change the topic's meaning. */
    public static String level(Object value) {
        String text = String.valueOf(value);
        return text.isEmpty() ? "_" : text.replaceAll("[/+#\\s]", "_");
    }

    private static Publication event(String concern, String event, Map<String, Object> data) {
        return Publication.event("event/" + concern + "/" + level(event), concern + "." + level(event), data);
    }

    private static String lower(Object value) {
        return value == null ? "" : value.toString().toLowerCase(Locale.ROOT);
    }

    /** The event's own properties as JSON values (strings, numbers, booleans; arrays as lists; else text). */
    static Map<String, Object> data(Map<String, ?> properties) {
        Map<String, Object> data = new LinkedHashMap<>();
        properties.keySet().stream().sorted().filter(key -> !ENVELOPE_PROPERTIES.contains(key))
                .forEach(key -> data.put(key, json(properties.get(key))));
        return data;
    }

    static Object json(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Object[] array) {
            List<Object> list = new ArrayList<>();
            for (Object item : array) {
                list.add(json(item));
            }
            return list;
        }
        return value.toString();
    }
}
