package dev.colo.proxy.internal.mina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.proxy.internal.config.ServiceSettings;
import java.io.InputStream;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clients that misbehave: the proxy stays within its bounds and other clients are served. */
class TcpProxyHostileTest {
    private static final long BOUND = 1 << 20;

    private EchoGuest primaryGuest;
    private EchoGuest secondaryGuest;
    private ProxyPair pair;

    @BeforeEach
    void pair() throws Exception {
        primaryGuest = new EchoGuest();
        secondaryGuest = new EchoGuest();
        pair = new ProxyPair(primaryGuest.port(), secondaryGuest.port(),
                Map.of(ServiceSettings.MAX_HELD_BYTES, Long.toString(BOUND), ServiceSettings.AT_BOUND, "pause",
                        ServiceSettings.MAX_CONNECTIONS, "5000"));
    }

    @AfterEach
    void stop() throws Exception {
        pair.close();
        primaryGuest.close();
        secondaryGuest.close();
    }

    @Test
    void thousandsOfConnectionsOpenedAndDroppedLeaveTheProxyServingAndEmpty() throws Exception {
        for (int i = 0; i < 2000; i++) {
            new Socket(pair.service.getAddress(), pair.service.getPort()).close();
        }
        assertEcho("after the storm");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pair.primary.connections() + pair.secondary.connections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, pair.primary.connections() + pair.secondary.connections(), "every connection was cleaned up");
    }

    @Test
    void aClientThatNeverReadsIsHeldToItsBoundAndOthersAreServed() throws Exception {
        try (Socket hog = new Socket(pair.service.getAddress(), pair.service.getPort())) {
            hog.getOutputStream().write('F'); // the guests flood it; it never reads
            Thread.sleep(2000);
            long released = pair.primary.counters().releasedBytes();
            Thread.sleep(1000);
            long later = pair.primary.counters().releasedBytes();
            assertTrue(later - released < 8 * BOUND, "the flood is throttled to the client's pace, not buffered: "
                    + (later - released) + " bytes released in a second to a client that reads nothing");
            assertTrue(pair.primary.heldBytes() <= 2 * BOUND, "held " + pair.primary.heldBytes());
            assertEcho("served beside the hog");
        }
    }

    private void assertEcho(String text) throws Exception {
        try (Socket client = new Socket(pair.service.getAddress(), pair.service.getPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(text.getBytes());
            InputStream in = client.getInputStream();
            assertArrayEquals(text.getBytes(), in.readNBytes(text.length()));
        }
    }
}
