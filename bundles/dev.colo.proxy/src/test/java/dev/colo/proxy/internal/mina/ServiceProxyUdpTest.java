package dev.colo.proxy.internal.mina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.proxy.internal.config.ServiceSettings;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A UDP service through the proxy pair: datagrams compared one by one per flow. */
class ServiceProxyUdpTest {

    @Test
    void equalDatagramsPassWithoutCheckpointsInOrder() throws Exception {
        try (UdpEchoGuest primaryGuest = new UdpEchoGuest(false); UdpEchoGuest secondaryGuest = new UdpEchoGuest(false);
                ProxyPair pair = new ProxyPair(primaryGuest.port(), secondaryGuest.port(),
                        Map.of(ServiceSettings.PROTOCOL, "udp"));
                DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(10_000);
            for (int i = 0; i < 50; i++) {
                assertEquals("ping-" + i, exchange(client, pair, "ping-" + i));
            }
            assertEquals(List.of(), pair.checkpointRequests);
        }
    }

    @Test
    void differingDatagramsAskForACheckpointAndTheClientGetsThePrimarysDatagram() throws Exception {
        try (UdpEchoGuest primaryGuest = new UdpEchoGuest(true); UdpEchoGuest secondaryGuest = new UdpEchoGuest(true);
                ProxyPair pair = new ProxyPair(primaryGuest.port(), secondaryGuest.port(),
                        Map.of(ServiceSettings.PROTOCOL, "udp"));
                DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(10_000);
            for (int i = 0; i < 10; i++) {
                String reply = exchange(client, pair, "what is your token?");
                assertTrue(reply.startsWith("token-"), "one whole datagram of a guest: " + reply);
            }
            assertTrue(pair.checkpointRequests.stream().anyMatch(r -> r.startsWith("MISCOMPARE")),
                    pair.checkpointRequests.toString());
        }
    }

    @Test
    void atThePeerLinksBoundDatagramsAreDroppedBeforeEitherGuestAndCountedAndTheBacklogStaysBounded()
            throws Exception {
        try (UdpEchoGuest primaryGuest = new UdpEchoGuest(false); UdpEchoGuest secondaryGuest = new UdpEchoGuest(false);
                ProxyPair pair = new ProxyPair(primaryGuest.port(), secondaryGuest.port(),
                        Map.of(ServiceSettings.PROTOCOL, "udp", ServiceSettings.MAX_HELD_BYTES, "1048576"));
                DatagramSocket flood = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket later = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CountDownLatch stall = new java.util.concurrent.CountDownLatch(1);
            pair.linkStalled = stall;
            byte[] big = new byte[60_000];
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (pair.primary.counters().datagramsDropped() == 0 && System.nanoTime() < deadline) {
                for (int i = 0; i < 50; i++) {
                    flood.send(new DatagramPacket(big, big.length, pair.service));
                }
                Thread.sleep(5);
            }
            assertTrue(pair.primary.counters().datagramsDropped() > 0, "nothing dropped: the backlog is "
                    + pair.primary.peerBacklogBytes());
            // the bound: 32 MiB, or 4 × max.held.bytes if that is more
            assertTrue(pair.primary.peerBacklogBytes() <= (32L << 20) + big.length,
                    "the backlog is bounded: " + pair.primary.peerBacklogBytes());
            stall.countDown();
            pair.linkStalled = null;
            while (pair.primary.peerBacklogBytes() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            later.setSoTimeout(10_000);
            assertEquals("after the congestion", exchange(later, pair, "after the congestion"));
        }
    }

    private static String exchange(DatagramSocket client, ProxyPair pair, String text) throws Exception {
        byte[] out = text.getBytes();
        client.send(new DatagramPacket(out, out.length, pair.service));
        DatagramPacket in = new DatagramPacket(new byte[65536], 65536);
        client.receive(in);
        return new String(in.getData(), 0, in.getLength());
    }
}
