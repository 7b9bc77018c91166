package dev.colo.shell.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import javax.management.AttributeChangeNotification;
import javax.management.Notification;
import javax.management.openmbean.CompositeData;

/** One JMX notification of a dev.colo MBean as {@code colo:events} prints it: one line, readable and greppable. */
final class EventLine {
    private EventLine() {
    }

    /**
     * {@code <time> <type> <source> <details>}: an attribute change as {@code Name OLD -> NEW}, an event as the
     * {@code key=value} pairs of its userData (sorted, so that lines of one type line up).
     */
    static String of(Notification notification) {
        StringBuilder line = new StringBuilder()
                .append(Instant.ofEpochMilli(notification.getTimeStamp())).append(' ')
                .append(notification.getType()).append(' ')
                .append(notification.getSource());
        if (notification instanceof AttributeChangeNotification change) {
            line.append(' ').append(change.getAttributeName()).append(' ').append(change.getOldValue())
                    .append(" -> ").append(change.getNewValue());
        } else if (notification.getUserData() instanceof CompositeData data) {
            Map<String, Object> sorted = new TreeMap<>();
            for (String key : data.getCompositeType().keySet()) {
                sorted.put(key, data.get(key));
            }
            sorted.forEach((key, value) -> line.append(' ').append(key).append('=').append(text(value)));
        } else if (notification.getMessage() != null && !notification.getMessage().isEmpty()) {
            line.append(' ').append(notification.getMessage());
        }
        return line.toString();
    }

    private static String text(Object value) {
        if (value instanceof Object[] array) {
            return String.join(",", java.util.Arrays.stream(array).map(String::valueOf).toList());
        }
        if (value instanceof Collection<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        String text = String.valueOf(value);
        return text.isEmpty() || text.contains(" ") ? '"' + text + '"' : text;
    }
}
