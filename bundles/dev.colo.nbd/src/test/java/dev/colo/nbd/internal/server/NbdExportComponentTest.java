package dev.colo.nbd.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.config.InvalidConfigurationException;
import dev.colo.api.management.NbdExportMXBean;
import dev.colo.api.management.NbdExportStats;
import dev.colo.nbd.internal.mina.RawNbdClient;
import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.testing.ThisMachine;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.management.DynamicMBean;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DS component constructed as SCR would, with a minimal bundle context that records registrations. */
class NbdExportComponentTest {

    @TempDir
    Path dir;


    private Map<String, Object> config(int port) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("name", "disk:0");
        properties.put("path", dir.resolve("disk0.img").toString());
        properties.put("size.bytes", "1048576");
        properties.put("bind.address", "127.0.0.1");
        properties.put("port", String.valueOf(port));
        return properties;
    }

    @Test
    void shouldServeTheExportAndRegisterItsMXBeanUntilDeactivated() throws Exception {
        int port = ThisMachine.freePort();
        RecordingBundleContext registrations = new RecordingBundleContext();
        NbdExportComponent component = new NbdExportComponent(registrations.context(), config(port));
        try {
            assertEquals(1 << 20, Files.size(dir.resolve("disk0.img")));
            assertEquals("dev.colo:type=NbdExport,name=\"disk:0\"",
                    registrations.properties.get(0).get("jmx.objectname"));
            try (RawNbdClient client = new RawNbdClient(port)) {
                client.go("disk:0");
                client.sendRequest(0, NbdCommand.WRITE.wireValue(), 1, 0, 3, new byte[] {1, 2, 3});
                assertEquals(0, client.readTransmissionReply(0).error());
            }
            // as the JMX whiteboard would: register the DynamicMBean and read the record as CompositeData
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName((String) registrations.properties.get(0).get("jmx.objectname"));
            server.registerMBean(registrations.services.get(0), name);
            try {
                CompositeData stats = (CompositeData) server.getAttribute(name, "Statistics");
                assertEquals(1L, stats.get("writeRequests"));
                assertEquals(3L, stats.get("writeBytes"));
                assertEquals("disk:0", server.getAttribute(name, "ExportName"));
                assertEquals(port, server.getAttribute(name, "ListenPort"));
                assertTrue(registrations.services.get(0) instanceof DynamicMBean);
                NbdExportStats typed = ((NbdExportMXBean) registrations.services.get(0))
                        .getStatistics();
                assertEquals(1, typed.connectionsAccepted());
            } finally {
                server.unregisterMBean(name);
            }
        } finally {
            component.deactivate();
        }
        assertEquals(1, registrations.unregistered);
        try (ServerSocket again = new ServerSocket(port)) {
            assertEquals(port, again.getLocalPort(), "the port was released");
        }
    }

    @Test
    void shouldStayInactiveOnInvalidConfiguration() throws Exception {
        RecordingBundleContext registrations = new RecordingBundleContext();
        Map<String, Object> tls = config(ThisMachine.freePort());
        tls.put("tls.required", "true");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new NbdExportComponent(registrations.context(), tls));
        assertEquals("tls.required", e.key());
        Map<String, Object> noPath = config(ThisMachine.freePort());
        noPath.put("path", dir.resolve("missing.img").toString());
        noPath.put("size.bytes", "0");
        assertThrows(RuntimeException.class, () -> new NbdExportComponent(registrations.context(), noPath));
        assertTrue(registrations.services.isEmpty());
    }

    @Test
    void shouldFailActivationWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            RecordingBundleContext registrations = new RecordingBundleContext();
            assertThrows(RuntimeException.class,
                    () -> new NbdExportComponent(registrations.context(), config(taken.getLocalPort())));
            assertTrue(registrations.services.isEmpty());
        }
    }

    @Test
    void shouldActivateWithRequiredTlsAndRefuseAnUnreadableKeyStore() throws Exception {
        Path keyStore = dev.colo.nbd.internal.mina.TlsServers.keyStore(dir);
        RecordingBundleContext registrations = new RecordingBundleContext();
        Map<String, Object> tls = config(ThisMachine.freePort());
        tls.put("tls.required", "true");
        tls.put("tls.keystore.path", keyStore.toString());
        tls.put("tls.keystore.password", dev.colo.nbd.internal.mina.TlsServers.PASSWORD);
        new NbdExportComponent(registrations.context(), tls).deactivate();
        assertEquals(1, registrations.unregistered);

        Map<String, Object> wrongPassword = config(ThisMachine.freePort());
        wrongPassword.put("tls.keystore.path", keyStore.toString());
        wrongPassword.put("tls.keystore.password", "wrong");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new NbdExportComponent(new RecordingBundleContext().context(), wrongPassword));
        assertEquals("tls.keystore.path", e.key());
    }
}
