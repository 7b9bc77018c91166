package dev.colo.management.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.openmbean.CompositeType;
import javax.management.ObjectName;
import dev.colo.api.management.NodeMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bean must be a compliant MXBean that a remote console can read without our classes. */
class NodeMXBeanComponentTest {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName name = ObjectName.getInstance(NodeMXBean.OBJECT_NAME);

    NodeMXBeanComponentTest() throws Exception {
    }

    @AfterEach
    void unregister() throws Exception {
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
    }

    @Test
    void shouldRegisterAsMXBeanAndReportUnknownValuesBeforeConfiguration() throws Exception {
        // registered as the JMX whiteboard does: the service object as it is
        server.registerMBean((DynamicMBean) new NodeMXBeanComponent(), name);

        assertEquals("true", server.getMBeanInfo(name).getDescriptor().getFieldValue("mxbean"));
        assertFalse((Boolean) server.getAttribute(name, "Configured"));
        assertEquals("unknown", server.getAttribute(name, "Role"));
        // enums travel as strings, so a console without our classes can show them
        assertEquals("UNKNOWN", server.getAttribute(name, "PeerHealth"));
        assertEquals("CLOSED", server.getAttribute(name, "LinkState"));
        assertTrue((Long) server.getAttribute(name, "UptimeMillis") > 0);
    }

    @Test
    void shouldMapCounterRecordsToCompositeTypes() throws Exception {
        server.registerMBean(new NodeMXBeanComponent(), name);

        CompositeType heartbeat = compositeTypeOf("Heartbeat");
        CompositeType peerLink = compositeTypeOf("PeerLink");

        assertTrue(heartbeat.containsKey("deadTransitions") && heartbeat.containsKey("lastHeardAgoMillis"),
                heartbeat.keySet().toString());
        assertTrue(peerLink.containsKey("peersRefused") && peerLink.containsKey("state"),
                peerLink.keySet().toString());
    }

    private CompositeType compositeTypeOf(String attribute) throws Exception {
        for (MBeanAttributeInfo info : server.getMBeanInfo(name).getAttributes()) {
            if (info.getName().equals(attribute)) {
                return (CompositeType) info.getDescriptor().getFieldValue("openType");
            }
        }
        throw new AssertionError("no attribute " + attribute);
    }
}
