package dev.colo.heartbeat.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.NodeId;
import dev.colo.api.Role;
import dev.colo.api.event.PeerHealthChanged;
import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.pair.TlsSettings;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.LinkState;
import dev.colo.api.transport.PeerLink;
import dev.colo.api.transport.PeerLinkStats;
import dev.colo.api.transport.PeerMessage;
import dev.colo.testing.RecordingEventAdmin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeartbeatMonitorComponentTest {
    private static final long INTERVAL_MS = 10;
    private static final long TIMEOUT_MS = 200;

    private final FakePeerLink link = new FakePeerLink();
    private final HeartbeatReceiver receiver = new HeartbeatReceiver();
    private final RecordingEventAdmin eventAdmin = new RecordingEventAdmin();
    private HeartbeatMonitorComponent monitor;

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.deactivate();
        }
    }

    private void start() {
        start(TIMEOUT_MS);
    }

    private void start(long timeoutMs) {
        PairSettings settings = new PairSettings(new NodeId("colo-b"), Role.SECONDARY, "127.0.0.1", 7801,
                "127.0.0.1", 7800, new TlsSettings(Path.of("k.p12"), "x", Optional.empty(), Optional.of("ab".repeat(32))),
                INTERVAL_MS, timeoutMs, 65536, 10, 100);
        monitor = new HeartbeatMonitorComponent(() -> settings, link, receiver);
        monitor.bindEventAdmin(eventAdmin);
        monitor.start();
    }

    @Test
    void shouldSendHeartbeatsOnTheControlChannelAtTheInterval() {
        link.state = LinkState.CONNECTED;
        start();

        await().atMost(Duration.ofSeconds(5)).until(() -> link.heartbeatsSent.get() >= 10);
        assertTrue(monitor.stats().heartbeatsSent() >= 10);
    }

    @Test
    void shouldGoAliveThenSuspectedThenDeadWithAnEventForEachTransition() {
        link.state = LinkState.CONNECTED;
        link.startTalking();
        start();
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.health() == PeerHealth.ALIVE);

        link.stopTalking();
        link.state = LinkState.DISCONNECTED; // e.g. the peer was killed: the kernel closes its sockets
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.health() == PeerHealth.DEAD);

        List<PeerHealthChanged> changes = eventAdmin.events(PeerHealthChanged.class);
        assertEquals(List.of(PeerHealth.ALIVE, PeerHealth.SUSPECTED, PeerHealth.DEAD),
                changes.stream().map(PeerHealthChanged::current).toList());
        PeerHealthChanged dead = changes.get(2);
        assertEquals("colo-b", dead.source().node());
        assertEquals(Role.SECONDARY, dead.source().role());
        assertTrue(dead.silenceMillis() >= TIMEOUT_MS, "silence " + dead.silenceMillis());
        assertEquals(1, monitor.stats().deadTransitions());
    }

    @Test
    void shouldDeclareAPeerDeadBeforeTheTimeoutWhenItsHostRefusesConnections() {
        link.state = LinkState.CONNECTED;
        link.startTalking();
        start();
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.health() == PeerHealth.ALIVE);
        // past the start-up grace, which no peer is declared DEAD within
        await().atMost(Duration.ofSeconds(5))
                .until(() -> System.nanoTime() - monitor.startedNanos() > TIMEOUT_MS * 1_000_000);

        link.stopTalking();
        link.state = LinkState.CONNECTING;
        link.lastRefused = System.nanoTime() + 1; // the redial met a reset: nothing listens on the peer's port
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.health() == PeerHealth.DEAD);

        PeerHealthChanged dead = eventAdmin.events(PeerHealthChanged.class).get(2);
        assertEquals(PeerHealth.DEAD, dead.current());
        assertTrue(dead.silenceMillis() < TIMEOUT_MS, "dead after " + dead.silenceMillis() + " ms, not the timeout");
    }

    @Test
    void shouldGiveAPeerHeardBeforeARestartOfThisNodeAFullTimeoutToBeHeardAgain() {
        long timeoutMs = 2000; // a margin for a busy machine: the peer speaks again well within it
        link.state = LinkState.CONNECTING;
        link.lastHeard = System.nanoTime() - 60_000_000_000L; // heard a minute ago, before this node restarted
        link.lastRefused = System.nanoTime(); // and the redial of the restarted link met a reset
        long beforeStart = System.nanoTime();
        start(timeoutMs);
        assertTrue(monitor.startedNanos() - beforeStart >= 0 && System.nanoTime() - monitor.startedNanos() >= 0);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> monitor.health() != PeerHealth.UNKNOWN);
        assertEquals(PeerHealth.SUSPECTED, monitor.health(), "not DEAD: the start-up grace");
        link.state = LinkState.CONNECTED;
        link.startTalking();
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.health() == PeerHealth.ALIVE);

        assertEquals(List.of(PeerHealth.SUSPECTED, PeerHealth.ALIVE),
                eventAdmin.events(PeerHealthChanged.class).stream().map(PeerHealthChanged::current).toList());
    }

    @Test
    void shouldCountAnyTrafficAsASignOfLife() throws InterruptedException {
        link.state = LinkState.CONNECTED;
        link.startTalking(); // traffic on the link, but no heartbeat message at all
        start();
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.health() == PeerHealth.ALIVE);
        Thread.sleep(3 * TIMEOUT_MS); // nothing to poll for: the assertion is that nothing changes

        assertEquals(PeerHealth.ALIVE, monitor.health());
        assertEquals(0, monitor.stats().heartbeatsReceived());
        assertEquals(0, monitor.stats().suspectedTransitions());
    }

    @Test
    void shouldCountReceivedHeartbeatsAndIgnoreMalformedOnes() {
        start();
        receiver.onPeerMessage(new PeerMessage(new NodeId("colo-a"), LinkChannel.CONTROL,
                HeartbeatMonitor.HEARTBEAT_MESSAGE_TYPE, new HeartbeatPayload(1, 2).encode()));
        receiver.onPeerMessage(new PeerMessage(new NodeId("colo-a"), LinkChannel.CONTROL,
                HeartbeatMonitor.HEARTBEAT_MESSAGE_TYPE, new byte[3]));

        assertEquals(1, monitor.stats().heartbeatsReceived());
    }

    @Test
    void shouldStayUnknownWhileThePeerWasNeverHeard() throws InterruptedException {
        link.state = LinkState.DISCONNECTED;
        start();
        Thread.sleep(2 * TIMEOUT_MS); // nothing to poll for: the assertion is that nothing happens

        assertEquals(PeerHealth.UNKNOWN, monitor.health());
        assertTrue(eventAdmin.events().isEmpty());
    }

    private static final class FakePeerLink implements PeerLink {
        volatile LinkState state = LinkState.DISCONNECTED;
        volatile long lastHeard = Long.MIN_VALUE;
        volatile long lastRefused = Long.MIN_VALUE;
        volatile boolean talking;
        final AtomicInteger heartbeatsSent = new AtomicInteger();

        /** From now on the peer is heard continuously. */
        void startTalking() {
            talking = true;
        }

        /** The peer falls silent now. */
        void stopTalking() {
            lastHeard = System.nanoTime();
            talking = false;
        }

        @Override
        public LinkState state() {
            return state;
        }

        @Override
        public CompletableFuture<Void> send(LinkChannel channel, String type, byte[] payload) {
            if (channel == LinkChannel.CONTROL && HeartbeatMonitor.HEARTBEAT_MESSAGE_TYPE.equals(type)) {
                heartbeatsSent.incrementAndGet();
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public long lastHeardNanos() {
            return talking ? System.nanoTime() : lastHeard;
        }

        @Override
        public long lastRefusedNanos() {
            return lastRefused;
        }

        @Override
        public PeerLinkStats stats() {
            return null;
        }
    }
}
