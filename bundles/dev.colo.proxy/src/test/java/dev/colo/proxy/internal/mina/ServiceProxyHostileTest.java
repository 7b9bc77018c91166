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
class ServiceProxyHostileTest {
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
            // Once the kernel's socket buffers are full, what is released must stop growing: without
            // back-pressure it grows by hundreds of MB a second, for ever.
            long previous = -1;
            long deadline = System.nanoTime() + 20_000_000_000L;
            boolean settled = false;
            while (!settled && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                long released = pair.primary.counters().releasedBytes();
                settled = previous >= 0 && released - previous < 2 * BOUND;
                previous = released;
            }
            assertTrue(settled, "the flood to a client that reads nothing is still buffered after 20 s: "
                    + previous + " bytes released");
            assertTrue(pair.primary.heldBytes() <= 2 * BOUND, "held " + pair.primary.heldBytes());
            assertEcho("served beside the hog");
        }
    }

    @Test
    void aClientThatEndsItsInputStillGetsTheRepliesAndThenTheEnd() throws Exception {
        try (Socket client = new Socket(pair.service.getAddress(), pair.service.getPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("half".getBytes());
            client.shutdownOutput(); // FIN: the guests see the end of their input and answer it
            byte[] expected = ("half" + new String(EchoGuest.farewell(4))).getBytes();
            assertArrayEquals(expected, client.getInputStream().readAllBytes(), "the replies, then the end");
        }
        assertEquals(0, pair.primary.counters().miscompares(), "both guests saw the same input and its end");
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
