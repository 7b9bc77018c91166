package dev.colo.api.management;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.event.ColoTopics;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.StandardEmitterMBean;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class EventNotificationsTest {
    /** A stand-in MBean interface, as an adapter would implement one. */
    public interface ProbeMXBean {
        String getState();
    }

    private final EventNotifications notifications = new EventNotifications("dev.colo:type=Probe",
            EventNotifications.Topic.changing(ColoTopics.FAILOVER_CHANGED, "State"),
            EventNotifications.Topic.of(ColoTopics.CHECKPOINT_COMPLETED));
    private final List<Notification> received = new ArrayList<>();

    @Test
    void shouldSendEachEventAsADottedNotificationWithItsPropertiesAsOpenData() throws Exception {
        notifications.emitter().addNotificationListener((notification, handback) -> received.add(notification), null,
                null);
        notifications.handleEvent(new Event(ColoTopics.CHECKPOINT_COMPLETED, Map.of("epoch", 42L, "reasons",
                "MISCOMPARE", "full", false, "node", "colo-a", "steps", new String[] {"a", "b"})));

        assertEquals(1, received.size());
        Notification notification = received.get(0);
        assertEquals("dev.colo.checkpoint.completed", notification.getType());
        assertEquals(new ObjectName("dev.colo:type=Probe"), notification.getSource());
        CompositeData data = assertInstanceOf(CompositeData.class, notification.getUserData());
        assertEquals(42L, data.get("epoch"));
        assertEquals(false, data.get("full"));
        assertEquals("[a, b]", data.get("steps"), "anything but strings, numbers and booleans as text");
        assertTrue(!data.containsKey("event.topics"));
    }

    @Test
    void shouldFollowAStateChangeWithAnAttributeChangeAndNumberEveryNotification() {
        notifications.emitter().addNotificationListener((notification, handback) -> received.add(notification), null,
                null);
        notifications.handleEvent(new Event(ColoTopics.FAILOVER_CHANGED, Map.of("previous", "NONE", "current",
                "REQUESTED")));
        notifications.handleEvent(new Event(ColoTopics.FAILOVER_CHANGED, Map.of("previous", "REQUESTED", "current",
                "ACTIVE")));
        notifications.handleEvent(new Event(ColoTopics.PROXY_MISCOMPARE, Map.of("service", "kv"))); // not its topic

        assertEquals(4, received.size());
        AttributeChangeNotification change = assertInstanceOf(AttributeChangeNotification.class, received.get(3));
        assertEquals("State", change.getAttributeName());
        assertEquals("REQUESTED", change.getOldValue());
        assertEquals("ACTIVE", change.getNewValue());
        assertArrayEquals(new long[] {1, 2, 3, 4}, received.stream().mapToLong(Notification::getSequenceNumber)
                .toArray());
    }

    @Test
    void shouldDeclareEveryTypeInTheMBeansInfo() throws Exception {
        ProbeMXBean probe = () -> "NONE";
        StandardEmitterMBean mbean = new StandardEmitterMBean(probe, ProbeMXBean.class, true, notifications.emitter());
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.colo:type=Probe,test=" + System.nanoTime());
        server.registerMBean(mbean, name);
        try {
            List<String> types = Arrays.stream(server.getMBeanInfo(name).getNotifications())
                    .flatMap(info -> Arrays.stream(info.getNotifTypes())).toList();
            assertEquals(List.of("dev.colo.failover.state-changed", "dev.colo.checkpoint.completed",
                    AttributeChangeNotification.ATTRIBUTE_CHANGE), types);
        } finally {
            server.unregisterMBean(name);
        }
        assertArrayEquals(new String[] {ColoTopics.FAILOVER_CHANGED, ColoTopics.CHECKPOINT_COMPLETED},
                notifications.topics());
        MBeanNotificationInfo[] declared = notifications.emitter().getNotificationInfo();
        assertEquals(3, declared.length);
    }

    @Test
    void shouldSendAndDeclareAnAttributeChangeThatNoEventAnnounces() {
        EventNotifications node = new EventNotifications("dev.colo:type=Node", List.of("Role"),
                EventNotifications.Topic.of(ColoTopics.PEER_REFUSED));
        node.emitter().addNotificationListener((notification, handback) -> received.add(notification), null, null);

        node.attributeChanged("Role", "secondary", "primary");

        AttributeChangeNotification change = assertInstanceOf(AttributeChangeNotification.class, received.get(0));
        assertEquals(List.of("Role", "secondary", "primary", 1L), List.of(change.getAttributeName(),
                change.getOldValue(), change.getNewValue(), change.getSequenceNumber()));
        assertTrue(Arrays.stream(node.emitter().getNotificationInfo()).anyMatch(info -> info.getDescription()
                .contains("[Role]")), "declared");
        assertThrows(IllegalArgumentException.class, () -> node.attributeChanged("State", "a", "b"), "undeclared");
    }

    @Test
    void shouldRefuseTopicsThatAreNotOursAndEscapeFilterValues() {
        assertThrows(IllegalArgumentException.class, () -> new EventNotifications("dev.colo:type=Probe",
                EventNotifications.Topic.of("org/osgi/framework/BundleEvent/STARTED")));
        assertEquals("a\\(b\\)\\*c\\\\", EventNotifications.filterValue("a(b)*c\\"));
    }
}
