package dev.colo.api.management;

import dev.colo.api.event.EventProperties;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.MalformedObjectNameException;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.NotificationEmitter;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The OSGi events of one MBean's concern, sent as JMX notifications by that MBean (an adapter passes
 * {@link #emitter()} to {@code StandardEmitterMBean}, and registers this object as the {@link EventHandler} of
 * {@link #topics()}): so that the domain classes post events and know nothing of JMX.
 *
 * <p>Each event becomes a notification of type {@code dev.colo.<concern>.<event>} (its topic, dotted), whose
 * userData is a {@link CompositeData} of the event's properties (strings, numbers and booleans as they are,
 * anything else as its string). An event that changes an attribute (its {@code previous} and {@code current}
 * properties) is followed by an {@link AttributeChangeNotification} for that attribute. Sequence numbers are
 * atomic per MBean.
 */
public final class EventNotifications implements EventHandler {
    private static final String TOPIC_PREFIX = "dev/colo/";

    /** One topic of the concern; {@code attribute} is what its events change, or null. */
    public record Topic(String topic, String attribute) {
        public static Topic of(String topic) {
            return new Topic(topic, null);
        }

        public static Topic changing(String topic, String attribute) {
            return new Topic(topic, attribute);
        }

        /** {@code dev/colo/failover/state-changed} → {@code dev.colo.failover.state-changed}. */
        public String notificationType() {
            return topic.replace('/', '.');
        }
    }

    private final ObjectName source;
    private final List<Topic> topics;
    private final List<String> otherChangingAttributes;
    private final AtomicLong sequence = new AtomicLong();
    private final NotificationBroadcasterSupport broadcaster;

    public EventNotifications(String objectName, Topic... topics) {
        this(objectName, List.of(), topics);
    }

    /**
     * Also declares attribute changes that no event announces: the MBean reports them itself with
     * {@link #attributeChanged}.
     */
    public EventNotifications(String objectName, List<String> otherChangingAttributes, Topic... topics) {
        try {
            this.source = new ObjectName(objectName);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not an ObjectName: " + objectName, e);
        }
        for (Topic topic : topics) {
            if (!topic.topic().startsWith(TOPIC_PREFIX)) {
                throw new IllegalArgumentException("not a COLO topic: " + topic.topic());
            }
        }
        this.topics = List.of(topics);
        this.otherChangingAttributes = List.copyOf(otherChangingAttributes);
        this.broadcaster = new NotificationBroadcasterSupport(infos(this.topics, this.otherChangingAttributes));
    }

    /** {@code value} escaped for an LDAP filter ({@code \\}, {@code *}, {@code (} and {@code )}). */
    public static String filterValue(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }

    /** For {@code StandardEmitterMBean}: declares every notification type in the MBean's info. */
    public NotificationEmitter emitter() {
        return broadcaster;
    }

    /** The value of {@link EventConstants#EVENT_TOPIC} to register this handler with. */
    public String[] topics() {
        return topics.stream().map(Topic::topic).toArray(String[]::new);
    }

    @Override
    public void handleEvent(Event event) {
        Topic topic = topics.stream().filter(t -> t.topic().equals(event.getTopic())).findFirst().orElse(null);
        if (topic == null) {
            return;
        }
        long time = System.currentTimeMillis();
        Notification notification = new Notification(topic.notificationType(), source, sequence.incrementAndGet(), time,
                event.getTopic());
        notification.setUserData(userData(topic.notificationType(), event));
        broadcaster.sendNotification(notification);
        if (topic.attribute() != null && event.getProperty(EventProperties.CURRENT) != null) {
            attributeChanged(topic.attribute(), event.getProperty(EventProperties.PREVIOUS),
                    event.getProperty(EventProperties.CURRENT), time);
        }
    }

    /** Sends the {@link AttributeChangeNotification} of an attribute declared at construction. */
    public void attributeChanged(String attribute, Object previous, Object current) {
        if (!otherChangingAttributes.contains(attribute)) {
            throw new IllegalArgumentException(attribute + " is not declared as changing on " + source);
        }
        attributeChanged(attribute, previous, current, System.currentTimeMillis());
    }

    private void attributeChanged(String attribute, Object previous, Object current, long time) {
        broadcaster.sendNotification(new AttributeChangeNotification(source, sequence.incrementAndGet(), time,
                attribute + " " + previous + " -> " + current, attribute, String.class.getName(),
                String.valueOf(previous), String.valueOf(current)));
    }

    /** The event's properties as open data: what a JMX client can read without our classes. */
    static CompositeData userData(String typeName, Event event) {
        Map<String, Object> values = new TreeMap<>();
        for (String name : event.getPropertyNames()) {
            if (!name.equals(EventConstants.EVENT_TOPIC)) {
                values.put(name, openValue(event.getProperty(name)));
            }
        }
        String[] names = values.keySet().toArray(String[]::new);
        OpenType<?>[] types = values.values().stream().map(EventNotifications::openType).toArray(OpenType<?>[]::new);
        try {
            CompositeType type = new CompositeType(typeName, "the properties of a " + typeName + " event", names, names,
                    types);
            return new CompositeDataSupport(type, names, values.values().toArray());
        } catch (OpenDataException e) {
            throw new IllegalStateException("event properties as open data: " + values, e);
        }
    }

    private static Object openValue(Object value) {
        if (value instanceof String || value instanceof Long || value instanceof Integer || value instanceof Boolean
                || value instanceof Double) {
            return value;
        }
        return value instanceof Object[] array ? Arrays.toString(array) : String.valueOf(value);
    }

    private static OpenType<?> openType(Object value) {
        if (value instanceof Long) {
            return SimpleType.LONG;
        }
        if (value instanceof Integer) {
            return SimpleType.INTEGER;
        }
        if (value instanceof Boolean) {
            return SimpleType.BOOLEAN;
        }
        if (value instanceof Double) {
            return SimpleType.DOUBLE;
        }
        return SimpleType.STRING;
    }

    private static MBeanNotificationInfo[] infos(List<Topic> topics, List<String> otherChangingAttributes) {
        List<MBeanNotificationInfo> infos = new ArrayList<>();
        for (Topic topic : topics) {
            infos.add(new MBeanNotificationInfo(new String[] {topic.notificationType()}, Notification.class.getName(),
                    "posted on " + topic.topic() + "; userData: the event's properties"));
        }
        List<String> changing = new ArrayList<>(otherChangingAttributes);
        topics.stream().map(Topic::attribute).filter(Objects::nonNull).forEach(changing::add);
        if (!changing.isEmpty()) {
            infos.add(new MBeanNotificationInfo(new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
                    AttributeChangeNotification.class.getName(), "an attribute changed: " + changing));
        }
        return infos.toArray(MBeanNotificationInfo[]::new);
    }
}
