package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.ProxyMXBean;
import dev.colo.api.management.ProxyStats;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;

class JmxClientTest {
    /** The part of the Checkpoint MXBean the protection is read from. */
    public interface CheckpointViewMXBean {
        boolean isProtecting();

        long getEpoch();
    }

    @Test
    void shouldReadTheProtectionFromTheCheckpointsAndEveryProxyOfTheNode() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        server.registerMBean(new StandardMBean(new CheckpointViewMXBean() {
            @Override
            public boolean isProtecting() {
                return true;
            }

            @Override
            public long getEpoch() {
                return 42;
            }
        }, CheckpointViewMXBean.class, true), new ObjectName(CheckpointMXBean.OBJECT_NAME));
        server.registerMBean(new StandardMBean(proxy("web", "0.0.0.0:8080", true), ProxyMXBean.class, true),
                new ObjectName(ProxyMXBean.objectName("web")));
        server.registerMBean(new StandardMBean(proxy("kv", "127.0.0.1:6380", false), ProxyMXBean.class, true),
                new ObjectName(ProxyMXBean.objectName("kv")));
        JMXConnectorServer connector = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi://127.0.0.1"), null, server);
        connector.start();
        try (JmxClient client = JmxClient.connect(new PairFile.Jmx(connector.getAddress().toString(), "admin", "pw",
                null, null), Duration.ofSeconds(10))) {
            JmxClient.Protection protection = client.protection();

            assertEquals(List.of(new JmxClient.ServiceStatus("kv", "127.0.0.1:6380", false),
                    new JmxClient.ServiceStatus("web", "0.0.0.0:8080", true)), protection.services());
            assertEquals(true, protection.checkpointsProtect());
            assertEquals(false, protection.protecting(), "kv refuses its clients");
        } finally {
            connector.stop();
        }
    }

    private static ProxyMXBean proxy(String name, String listenAddress, boolean listening) {
        return new ProxyMXBean() {
            @Override
            public String getServiceName() {
                return name;
            }

            @Override
            public String getProtocol() {
                return "tcp";
            }

            @Override
            public String getListenAddress() {
                return listenAddress;
            }

            @Override
            public boolean isProtecting() {
                return true;
            }

            @Override
            public boolean isServiceListening() {
                return listening;
            }

            @Override
            public ProxyStats getStatistics() {
                return null;
            }
        };
    }

    @Test
    void shouldNameTheReplicationMBeanByTheQuotedDiskName() throws Exception {
        assertEquals("dev.colo:type=Replication,name=\"disk0\"", JmxClient.replication("disk0").toString());
        assertEquals(JmxClient.replication("disk0"), new javax.management.ObjectName(
                "dev.colo:type=Replication,name=" + javax.management.ObjectName.quote("disk0")));
        assertEquals(true, JmxClient.REPLICATION_PATTERN.apply(JmxClient.replication("disk0")));
    }

    @Test
    void shouldMakeADiskStatusOfTheAttributes() {
        Map<String, Object> values = new HashMap<>();
        values.put("DiskName", "disk0");
        values.put("Role", "primary");
        values.put("Stage", "RUNNING");
        values.put("Epoch", 7L);
        values.put("Degraded", true);
        values.put("DirtyBytes", 4096L);
        values.put("ActiveOverlayBytes", 0L);
        values.put("HiddenOverlayBytes", 0L);
        values.put("Error", "");
        values.put("ExportUri", "nbd://127.0.0.1:1/disk0-view");
        values.put("LocalPath", "/l");
        values.put("ActiveOverlayPath", "/a");
        values.put("HiddenOverlayPath", "/h");

        JmxClient.DiskStatus status = JmxClient.DiskStatus.from(values);

        assertEquals(new JmxClient.DiskStatus("disk0", "primary", "RUNNING", 7, true, 4096, 0, 0, "",
                "nbd://127.0.0.1:1/disk0-view", "/l", "/a", "/h"), status);
        assertEquals(true, status.running());
    }

    @Test
    void shouldReadMissingAttributesAsUnknown() {
        JmxClient.DiskStatus status = JmxClient.DiskStatus.from(Map.of("DiskName", "disk0"));

        assertEquals("unknown", status.stage());
        assertEquals(-1, status.epoch());
        assertEquals(false, status.degraded());
        assertEquals("", status.error());
        assertEquals(false, status.running());
    }
}
