package dev.colo.nbd.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.management.NbdExportMXBean;
import dev.colo.nbd.export.ExportSpec;
import dev.colo.nbd.export.ExportTls;
import dev.colo.nbd.export.MemoryBlockDevice;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.export.NbdExportHandle;
import dev.colo.nbd.internal.mina.RawNbdClient;
import dev.colo.nbd.protocol.NbdCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exporter service constructed as SCR would, served to a raw client over real sockets. */
class NbdExporterComponentTest {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final RecordingBundleContext registrations = new RecordingBundleContext();
    private final NbdExporterComponent exporter = new NbdExporterComponent(registrations.context());

    @AfterEach
    void deactivate() {
        exporter.deactivate(); // idempotent: some tests deactivate earlier
    }

    @Test
    void shouldServeTheDeviceAndRegisterTheMXBean() throws Exception {
        MemoryBlockDevice device = new MemoryBlockDevice(64 * 1024);
        try (NbdExportHandle handle = exporter.export(new ExportSpec("disk:0", device, ANY_PORT, ExportTls.none()))) {
            assertEquals("disk:0", handle.name());
            assertTrue(handle.address().getPort() > 0);
            try (RawNbdClient client = new RawNbdClient(handle.address().getPort())) {
                client.go("disk:0");
                client.sendRequest(0, NbdCommand.WRITE.wireValue(), 1, 512, 3, new byte[] {7, 8, 9});
                assertEquals(0, client.readTransmissionReply(0).error());
                client.sendRequest(NbdConstants.CMD_FLAG_FUA, NbdCommand.WRITE.wireValue(), 2, 1024, 1, new byte[] {6});
                assertEquals(0, client.readTransmissionReply(0).error());
            }
            assertArrayEquals(new byte[] {7, 8, 9}, device.bytes(512, 3));
            assertEquals(1, device.durableWrites(), "a WRITE with FUA is one durable write of the device");
            assertEquals(0, device.flushes(), "not a write and a FLUSH");
            assertEquals(Set.of("dev.colo:type=NbdExport,name=\"disk:0\""), registrations.liveObjectNames());
            NbdExportMXBean mbean = (NbdExportMXBean) registrations.services.get(0);
            assertEquals("memory:65536", mbean.getBackingPath(), "the spec's describe(): the device's toString()");
            assertEquals(64 * 1024, mbean.getSizeBytes());
            assertEquals(handle.address().getPort(), mbean.getListenPort());
            assertEquals(2, mbean.getStatistics().writeRequests());
        }
    }

    @Test
    void closeShouldFreeThePortAndUnregisterTheMXBeanOnce() throws Exception {
        NbdExportHandle handle = exporter.export(new ExportSpec("d", new MemoryBlockDevice(4096), ANY_PORT,
                ExportTls.none()));
        int port = handle.address().getPort();
        handle.close();
        handle.close();
        assertEquals(Set.of(), registrations.liveObjectNames());
        assertEquals(1, registrations.unregistered);
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "the port was released");
        }
        // the name is free again
        exporter.export(new ExportSpec("d", new MemoryBlockDevice(4096), ANY_PORT, ExportTls.none())).close();
    }

    @Test
    void shouldRefuseASecondExportOfTheSameName() throws Exception {
        MemoryBlockDevice device = new MemoryBlockDevice(4096);
        try (NbdExportHandle first = exporter.export(new ExportSpec("d", device, ANY_PORT, ExportTls.none()))) {
            assertThrows(IllegalArgumentException.class,
                    () -> exporter.export(new ExportSpec("d", device, ANY_PORT, ExportTls.none())));
            assertEquals(1, registrations.liveObjectNames().size());
        }
    }

    @Test
    void shouldLeaveNothingBehindWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress busy = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());
            assertThrows(IOException.class,
                    () -> exporter.export(new ExportSpec("d", new MemoryBlockDevice(4096), busy, ExportTls.none())));
            assertTrue(registrations.services.isEmpty());
        }
        exporter.export(new ExportSpec("d", new MemoryBlockDevice(4096), ANY_PORT, ExportTls.none())).close();
    }

    @Test
    void deactivationShouldCloseEveryExport() throws Exception {
        NbdExportHandle a = exporter.export(new ExportSpec("a", new MemoryBlockDevice(4096), ANY_PORT, ExportTls.none()));
        exporter.export(new ExportSpec("b", new MemoryBlockDevice(4096), ANY_PORT, ExportTls.none()));
        deactivate();
        assertEquals(Set.of(), registrations.liveObjectNames());
        try (ServerSocket again = new ServerSocket(a.address().getPort(), 1, InetAddress.getLoopbackAddress())) {
            assertEquals(a.address().getPort(), again.getLocalPort());
        }
        a.close(); // still idempotent
        assertThrows(IllegalStateException.class, () -> exporter.export(
                new ExportSpec("c", new MemoryBlockDevice(4096), ANY_PORT, ExportTls.none())));
    }

    @Test
    void specAndTlsShouldBeValidated() {
        MemoryBlockDevice device = new MemoryBlockDevice(4096);
        assertThrows(IllegalArgumentException.class, () -> new ExportSpec(" ", device, ANY_PORT, ExportTls.none()));
        assertThrows(NullPointerException.class, () -> new ExportSpec(null, device, ANY_PORT, ExportTls.none()));
        assertThrows(NullPointerException.class, () -> new ExportSpec("d", null, ANY_PORT, ExportTls.none()));
        assertThrows(NullPointerException.class, () -> new ExportSpec("d", device, null, ExportTls.none()));
        assertThrows(NullPointerException.class, () -> new ExportSpec("d", device, ANY_PORT, null));
        assertThrows(IllegalArgumentException.class, () -> ExportTls.required(null));
        assertThrows(IllegalArgumentException.class, () -> new ExportTls(ExportTls.Mode.NONE, null, true));
    }
}
