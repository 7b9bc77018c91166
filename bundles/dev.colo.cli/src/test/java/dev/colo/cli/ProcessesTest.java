package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessesTest {
    @Test
    void freePortsAreDistinctBindableAndOutsideTheEphemeralRange() throws Exception {
        int ephemeralStart = 32_768;
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        if (Files.isReadable(range)) {
            ephemeralStart = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
        }
        List<Integer> ports = Processes.freeLoopbackPorts(17);
        assertEquals(17, new HashSet<>(ports).size(), ports.toString());
        for (int port : ports) {
            assertTrue(port >= 10_000 && port < ephemeralStart, "outgoing connections never take " + port + " (ephemeral from " + ephemeralStart + ")");
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }
}
