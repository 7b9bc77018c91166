package dev.colo.proxy.internal.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.NodeId;
import dev.colo.api.checkpoint.CheckpointOutcome;
import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointRequests;
import dev.colo.api.event.ColoTopics;
import dev.colo.api.event.EventProperties;
import dev.colo.api.guest.GuestState;
import dev.colo.api.guest.ProtectedGuest;
import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.heartbeat.HeartbeatStats;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.LinkState;
import dev.colo.api.transport.PeerLink;
import dev.colo.api.transport.PeerLinkStats;
import dev.colo.api.transport.PeerMessage;
import dev.colo.proxy.internal.config.ServiceSettings;
import dev.colo.proxy.internal.wire.ProxyMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class ProxyServicesTest {
    private final List<String> sent = new ArrayList<>();
    /** What the failure detector says now. */
    private volatile PeerHealth health = PeerHealth.ALIVE;
    private final ProxyMessageReceiver receiver = new ProxyMessageReceiver();
    private final ProxyServices services = new ProxyServices(new PeerLink() {
        @Override
        public LinkState state() {
            return LinkState.CONNECTED;
        }

        @Override
        public CompletableFuture<Void> send(LinkChannel channel, String type, byte[] payload) {
            sent.add(channel + " " + type);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public long lastHeardNanos() {
            return 0;
        }

        @Override
        public long lastRefusedNanos() {
            return Long.MIN_VALUE;
        }

        @Override
        public PeerLinkStats stats() {
            return null;
        }
    }, receiver, new HeartbeatMonitor() {
        @Override
        public PeerHealth health() {
            return health;
        }

        @Override
        public HeartbeatStats stats() {
            return null;
        }

        @Override
        public long startedNanos() {
            return 0;
        }

        @Override
        public long lastStallEndedNanos() {
            return Long.MIN_VALUE;
        }
    });

    private static final ServiceSettings SERVICE = ServiceSettings.parse(Map.of(ServiceSettings.NAME, "kv",
            ServiceSettings.LISTEN_PORT, "6380", ServiceSettings.GUEST_HOST, "127.0.0.1", ServiceSettings.GUEST_PORT,
            "6379"));

    @Test
    void shouldProtectOnlyWithALivePeerACoordinatorAndAProtectedGuestBehindTheService() {
        assertFalse(services.canProtect(SERVICE), "no coordinator: nothing could release held output");
        List<CheckpointReason> requested = new ArrayList<>();
        CheckpointRequests coordinator = (reason, detail) -> {
            requested.add(reason);
            return CompletableFuture.completedFuture(new CheckpointOutcome(1, true, ""));
        };
        services.bindCoordinator(coordinator);
        assertFalse(services.canProtect(SERVICE), "no protected guest: a checkpoint could not align the secondary's");
        ProtectedGuest other = guest(new InetSocketAddress("127.0.0.1", 7000));
        services.bindGuest(other);
        assertFalse(services.canProtect(SERVICE), "a protected guest elsewhere is not this service's");
        services.bindGuest(guest(new InetSocketAddress("0.0.0.0", 6379)));
        assertTrue(services.canProtect(SERVICE));
        health = PeerHealth.DEAD;
        services.handleEvent(new Event(ColoTopics.PEER_HEALTH_CHANGED, Map.of(EventProperties.CURRENT, "DEAD")));
        assertFalse(services.canProtect(SERVICE), "a dead peer cannot compare");
        health = PeerHealth.ALIVE; // and the event is not seen: posted before this component listened
        assertTrue(services.canProtect(SERVICE), "the detector's word counts, not the last event seen");
        health = PeerHealth.SUSPECTED;
        assertTrue(services.canProtect(SERVICE), "a suspected peer still compares: output stays held");
        health = PeerHealth.ALIVE;
        services.requestCheckpoint(CheckpointReason.MISCOMPARE, "test");
        assertEquals(List.of(CheckpointReason.MISCOMPARE), requested);
        services.unbindCoordinator(coordinator);
        assertFalse(services.canProtect(SERVICE));
    }

    @Test
    void aGuestServesTheServiceThatForwardsToItsAddressAndPort() {
        assertTrue(ProtectedGuests.serves(new InetSocketAddress("127.0.0.1", 6379), "localhost", 6379));
        assertTrue(ProtectedGuests.serves(new InetSocketAddress("0.0.0.0", 6379), "192.0.2.7", 6379));
        assertFalse(ProtectedGuests.serves(new InetSocketAddress("127.0.0.1", 6379), "127.0.0.1", 6380));
        assertFalse(ProtectedGuests.serves(new InetSocketAddress("192.0.2.8", 6379), "192.0.2.7", 6379));
    }

    private static ProtectedGuest guest(InetSocketAddress endpoint) {
        return new ProtectedGuest() {
            @Override
            public String name() {
                return "kv";
            }

            @Override
            public void pause() {
            }

            @Override
            public void resume() {
            }

            @Override
            public GuestState capture(boolean full) {
                return new GuestState(full, new byte[0]);
            }

            @Override
            public void restore(GuestState state) {
            }

            @Override
            public InetSocketAddress endpoint() {
                return endpoint;
            }

            @Override
            public List<String> disks() {
                return List.of();
            }
        };
    }

    @Test
    void shouldSendOnTheBulkChannelAndIgnoreMalformedPeerMessages() {
        services.send(new ProxyMessage.Close("redis", 1));
        assertEquals(List.of("BULK proxy.close"), sent, "one ordered channel for all of a service's messages");
        receiver.onPeerMessage(new PeerMessage(new NodeId("colo-b"), LinkChannel.BULK, ProxyMessage.Output.TYPE,
                new byte[] {1, 2, 3})); // logged and dropped, not thrown at the link
        services.deactivate();
        receiver.onPeerMessage(new PeerMessage(new NodeId("colo-b"), LinkChannel.BULK, ProxyMessage.Output.TYPE,
                new byte[0])); // no proxy attached any more: dropped
    }
}
