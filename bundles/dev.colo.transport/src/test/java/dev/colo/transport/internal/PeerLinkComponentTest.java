package dev.colo.transport.internal;

import dev.colo.testing.RecordingEventAdmin;
import dev.colo.testing.TestPki;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.ColoException;
import dev.colo.api.NodeId;
import dev.colo.api.Role;
import dev.colo.api.event.LinkStateChanged;
import dev.colo.api.event.PeerRefused;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.pair.TlsSettings;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.LinkState;
import dev.colo.api.transport.PeerMessage;
import dev.colo.api.transport.PeerMessageListener;
import dev.colo.testing.ThisMachine;
import dev.colo.transport.internal.frame.Frame;
import dev.colo.transport.internal.frame.FrameDecoder;
import dev.colo.transport.internal.frame.FrameEncoder;
import dev.colo.transport.internal.frame.FrameKind;
import dev.colo.transport.internal.frame.Greeting;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real sockets on 127.0.0.1, real TLS with keytool-made certificates, two components talking. */
class PeerLinkComponentTest {
    private static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static TestPki pki;

    private final List<PeerLinkComponent> started = new ArrayList<>();

    private record Node(PeerLinkComponent link, RecordingEventAdmin events, PairSettings settings) {
        List<LinkState> states() {
            return events.events(LinkStateChanged.class).stream().map(LinkStateChanged::current).toList();
        }
    }

    @BeforeAll
    static void makeKeys() {
        pki = TestPki.shared();
    }

    @AfterEach
    void stopAll() {
        started.forEach(PeerLinkComponent::deactivate);
    }

    @Test
    void shouldConnectAndExchangeMessagesOnBothChannelsInBothDirections() throws Exception {
        int portA = ThisMachine.freePort();
        int portB = ThisMachine.freePort();
        String fingerprintB = PeerIdentity.fingerprint(pki.certificate("colo-b"));
        Node a = start(settings("colo-a", Role.PRIMARY, portA, portB, Optional.of(fingerprintB)));
        Node b = start(settings("colo-b", Role.SECONDARY, portB, portA, Optional.empty()));
        RecordingListener pongsOnA = listen(a, new String[] {"pong"});
        RecordingListener everythingOnB = listen(b, null);
        RecordingListener pingsOnB = listen(b, "ping");
        awaitConnected(a, b);

        for (LinkChannel channel : LinkChannel.values()) {
            send(a, channel, "ping", channel.name());
            send(a, channel, "other", "not for the ping listener");
            send(b, channel, "other", "not for the pong listener");
            send(b, channel, "pong", channel.name());
        }

        await().atMost(PATIENCE).until(() -> pongsOnA.messages().size() == 2 && pingsOnB.messages().size() == 2);
        assertEquals(List.of("pong", "pong"), pongsOnA.types());
        assertEquals(List.of("ping", "ping"), pingsOnB.types());
        await().atMost(PATIENCE).until(() -> everythingOnB.messages().size() == 4);
        for (LinkChannel channel : LinkChannel.values()) {
            PeerMessage ping = pingsOnB.messages().stream().filter(m -> m.channel() == channel).findFirst().orElseThrow();
            assertEquals(new NodeId("colo-a"), ping.from());
            assertArrayEquals(channel.name().getBytes(StandardCharsets.UTF_8), ping.payload());
            PeerMessage pong = pongsOnA.messages().stream().filter(m -> m.channel() == channel).findFirst().orElseThrow();
            assertEquals(new NodeId("colo-b"), pong.from());
        }
        assertTrue(a.states().contains(LinkState.CONNECTED), "events " + a.states());
        assertEquals("colo-b", a.link().stats().peerNodeId());
        assertTrue(a.link().stats().framesSent() >= 4, a.link().stats().toString());
        assertNotEquals(Long.MIN_VALUE, b.link().lastHeardNanos());
    }

    @Test
    void shouldRefuseClientWithCertificateOfAnotherCa() throws Exception {
        Node a = start(settings("colo-a", Role.PRIMARY, ThisMachine.freePort(), ThisMachine.freePort(), Optional.empty()));

        int received = helloAndDrain(tlsClient(a, "colo-x"), "colo-x");

        assertEquals(0, received, "an untrusted client got application data");
        assertRefused(a, ColoErrorCode.PEER_UNTRUSTED);
    }

    @Test
    void shouldRefuseTlsClientWithoutCertificate() throws Exception {
        Node a = start(settings("colo-a", Role.PRIMARY, ThisMachine.freePort(), ThisMachine.freePort(), Optional.empty()));

        int received = helloAndDrain(tlsClient(a, null), "colo-b");

        assertEquals(0, received, "a client without certificate got application data");
        assertRefused(a, ColoErrorCode.PEER_UNTRUSTED);
    }

    @Test
    void shouldRefusePlaintextClientSendingAValidFrame() throws Exception {
        Node a = start(settings("colo-a", Role.PRIMARY, ThisMachine.freePort(), ThisMachine.freePort(), Optional.empty()));
        Socket plain = new Socket("127.0.0.1", a.settings().listenPort());
        plain.setSoTimeout(5_000);

        helloAndDrain(plain, "colo-b");

        assertRefused(a, ColoErrorCode.PEER_PROTOCOL_VIOLATION);
    }

    @Test
    void shouldCloseConnectionThatNeverGreets() throws Exception {
        Node a = start(settings("colo-a", Role.PRIMARY, ThisMachine.freePort(), ThisMachine.freePort(), Optional.empty()));
        try (Socket silent = new Socket("127.0.0.1", a.settings().listenPort())) {
            silent.setSoTimeout(5_000);
            drain(silent.getInputStream());
        }
        PeerRefused refused = assertRefused(a, ColoErrorCode.PEER_PROTOCOL_VIOLATION);
        assertTrue(refused.message().contains("within 1000 ms"), refused.message());
    }

    @Test
    void shouldWelcomeTrustedHelloButRefuseHelloNamingAnotherNode() throws Exception {
        Node a = start(settings("colo-a", Role.PRIMARY, ThisMachine.freePort(), ThisMachine.freePort(), Optional.empty()));
        try (SSLSocket honest = tlsClient(a, "colo-b")) {
            write(honest, Frame.hello(new Greeting(new NodeId("colo-b"), LinkChannel.CONTROL)));
            Frame welcome = readFrame(honest);
            assertEquals(FrameKind.WELCOME, welcome.kind());
            assertEquals(new Greeting(new NodeId("colo-a"), LinkChannel.CONTROL), Greeting.parse(welcome.payload()));
            await().atMost(PATIENCE).until(() -> a.link().state() == LinkState.CONNECTING);
        }

        int received = helloAndDrain(tlsClient(a, "colo-b"), "colo-c");

        assertEquals(0, received, "a lying client got a WELCOME");
        PeerRefused refused = assertRefused(a, ColoErrorCode.PEER_UNTRUSTED);
        assertTrue(refused.message().contains("certificate names 'colo-b'"), refused.message());
    }

    @Test
    void shouldRefusePeerWhoseFingerprintDiffersFromThePin() throws Exception {
        int portA = ThisMachine.freePort();
        int portB = ThisMachine.freePort();
        Node a = start(settings("colo-a", Role.PRIMARY, portA, portB, Optional.of("00".repeat(32))));
        Node b = start(settings("colo-b", Role.SECONDARY, portB, portA, Optional.empty()));

        PeerRefused refused = assertRefused(a, ColoErrorCode.PEER_UNTRUSTED);
        assertTrue(refused.message().contains("does not match the pinned"), refused.message());
        await().atMost(PATIENCE).until(() -> a.link().stats().connectFailures() > 0);
        assertEquals(LinkState.DISCONNECTED, a.link().state());
        assertEquals(LinkState.DISCONNECTED, b.link().state());
        assertEquals(List.of(), a.states());
    }

    @Test
    void shouldTrustPinnedPeersWithoutACaTrustStore() throws Exception {
        int portA = ThisMachine.freePort();
        int portB = ThisMachine.freePort();
        String pinB = PeerIdentity.fingerprint(pki.certificate("colo-b"));
        String pinA = PeerIdentity.fingerprint(pki.certificate("colo-a"));
        Node a = start(settings("colo-a", Role.PRIMARY, portA, portB, Optional.empty(), Optional.of(pinB)));
        Node b = start(settings("colo-b", Role.SECONDARY, portB, portA, Optional.empty(), Optional.of(pinA)));

        awaitConnected(a, b);
    }

    @Test
    void shouldRefuseAnUnpinnedPeerWithoutACaTrustStore() throws Exception {
        int portA = ThisMachine.freePort();
        int portX = ThisMachine.freePort();
        String pinB = PeerIdentity.fingerprint(pki.certificate("colo-b"));
        Node a = start(settings("colo-a", Role.PRIMARY, portA, portX, Optional.empty(), Optional.of(pinB)));
        // colo-x (another CA) trusts colo-a; colo-a pins colo-b only
        String pinA = PeerIdentity.fingerprint(pki.certificate("colo-a"));
        Node x = start(settings("colo-x", Role.SECONDARY, portX, portA, Optional.empty(), Optional.of(pinA)));

        await().atMost(PATIENCE).until(() -> a.link().stats().peersRefused() > 0);
        assertNotEquals(LinkState.CONNECTED, a.link().state());
        assertNotEquals(LinkState.CONNECTED, x.link().state());
    }

    @Test
    void shouldReconnectWhenThePeerRestarts() throws Exception {
        int portA = ThisMachine.freePort();
        int portB = ThisMachine.freePort();
        Node a = start(settings("colo-a", Role.PRIMARY, portA, portB, Optional.empty()));
        Node b = start(settings("colo-b", Role.SECONDARY, portB, portA, Optional.empty()));
        awaitConnected(a, b);

        b.link().deactivate();
        await().atMost(PATIENCE).until(() -> a.link().state() == LinkState.DISCONNECTED);
        Node restarted = start(b.settings());
        RecordingListener received = listen(restarted, "after.restart");
        awaitConnected(a, restarted);
        send(a, LinkChannel.CONTROL, "after.restart", "hello again");

        await().atMost(PATIENCE).until(() -> received.messages().size() == 1);
        List<LinkState> states = a.states();
        assertEquals(LinkState.CONNECTED, states.get(states.size() - 1));
        assertTrue(states.contains(LinkState.DISCONNECTED), "events " + states);
    }

    @Test
    void shouldRecordWhenThePeersHostRefusesTheDial() {
        Node a = start(settings("colo-a", Role.PRIMARY, ThisMachine.freePort(), ThisMachine.freePort(), Optional.empty()));

        assertEquals(Long.MIN_VALUE, a.link().lastHeardNanos());
        await().atMost(PATIENCE).until(() -> a.link().lastRefusedNanos() != Long.MIN_VALUE); // nothing listens there
    }

    @Test
    void shouldCloseOnceAndRefuseToSendAfterwards() throws Exception {
        Node a = start(settings("colo-a", Role.PRIMARY, ThisMachine.freePort(), ThisMachine.freePort(), Optional.empty()));

        a.link().deactivate();
        a.link().deactivate();

        assertEquals(LinkState.CLOSED, a.link().state());
        assertEquals(List.of(LinkState.CLOSED), a.states());
        assertLinkDown(a.link().send(LinkChannel.CONTROL, "heartbeat", new byte[0]));
        try (Socket refused = new Socket()) {
            assertThrows(IOException.class, () -> refused.connect(
                    new java.net.InetSocketAddress("127.0.0.1", a.settings().listenPort()), 1_000));
        }
    }

    @Test
    void shouldStopEveryThreadItStarted() throws Exception {
        int portA = ThisMachine.freePort();
        int portB = ThisMachine.freePort();
        Node a = start(settings("colo-a", Role.PRIMARY, portA, portB, Optional.empty()));
        Node b = start(settings("colo-b", Role.SECONDARY, portB, portA, Optional.empty()));
        awaitConnected(a, b);
        assertTrue(transportThreads() > 0, "no transport threads while running");

        a.link().deactivate();
        b.link().deactivate();

        await().atMost(PATIENCE).until(() -> transportThreads() == 0);
    }

    /** Our pool threads, under their own names or the names MINA gives them while they run its loops. */
    private static long transportThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("colo-transport-") || name.startsWith("Nio"))
                .count();
    }

    @Test
    void shouldRejectBadMessagesAndFailWhileTheChannelIsDown() throws Exception {
        Node a = start(settings("colo-a", Role.PRIMARY, ThisMachine.freePort(), ThisMachine.freePort(), Optional.empty()));
        PeerLinkComponent link = a.link();

        assertIllegal(link.send(LinkChannel.CONTROL, "", new byte[0]));
        assertIllegal(link.send(LinkChannel.CONTROL, "x".repeat(256), new byte[0]));
        assertIllegal(link.send(LinkChannel.BULK, "bulk", new byte[MAX_FRAME_BYTES + 1]));
        assertLinkDown(link.send(LinkChannel.CONTROL, "heartbeat", new byte[0]));
    }

    @Test
    void shouldKeepControlFlowingWhileBulkIsFlooded() throws Exception {
        int portA = ThisMachine.freePort();
        int portB = ThisMachine.freePort();
        Node a = start(settings("colo-a", Role.PRIMARY, portA, portB, Optional.empty()));
        Node b = start(settings("colo-b", Role.SECONDARY, portB, portA, Optional.empty()));
        AtomicInteger bulkReceived = new AtomicInteger();
        AtomicInteger bulkReceivedAtHeartbeat = new AtomicInteger(-1);
        b.link().addPeerMessageListener(message -> bulkReceived.incrementAndGet(),
                Map.of(PeerMessageListener.TYPE_PROPERTY, "bulk"));
        b.link().addPeerMessageListener(message -> bulkReceivedAtHeartbeat.set(bulkReceived.get()),
                Map.of(PeerMessageListener.TYPE_PROPERTY, "heartbeat"));
        awaitConnected(a, b);

        byte[] chunk = new byte[2 * 1024 * 1024];
        int chunks = 100; // 200 MiB
        List<CompletableFuture<Void>> bulk = IntStream.range(0, chunks)
                .mapToObj(i -> a.link().send(LinkChannel.BULK, "bulk", chunk)).toList();
        a.link().send(LinkChannel.CONTROL, "heartbeat", new byte[8]);

        await().atMost(PATIENCE).until(() -> bulkReceivedAtHeartbeat.get() >= 0);
        assertTrue(bulkReceivedAtHeartbeat.get() < chunks,
                "the heartbeat waited for all " + bulkReceivedAtHeartbeat.get() + " bulk messages");
        CompletableFuture.allOf(bulk.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> bulkReceived.get() == chunks);
    }

    @Test
    void shouldFailActivationWhenKeyMaterialIsUnusable() throws Exception {
        PairSettings good = settings("colo-a", Role.PRIMARY, ThisMachine.freePort(), ThisMachine.freePort(), Optional.empty());
        assertUnusable(withTls(good, Path.of("target/no-such.p12"), pki.trustStore()), "tls.keystore.path");
        assertUnusable(withTls(good, pki.keyStore("colo-a"), Path.of("target/no-such.p12")), "tls.truststore.path");
    }

    // --- helpers ---

    private Node start(PairSettings settings) {
        RecordingEventAdmin events = new RecordingEventAdmin();
        PeerLinkComponent link = new PeerLinkComponent(() -> settings);
        link.setEventAdmin(events);
        started.add(link);
        return new Node(link, events, settings);
    }

    /** Settings trusting the pair CA, and also pinning the peer when {@code pin} is given. */
    private static PairSettings settings(String node, Role role, int listenPort, int peerPort, Optional<String> pin) {
        return settings(node, role, listenPort, peerPort, Optional.of(pairCa()), pin);
    }

    private static PairSettings settings(String node, Role role, int listenPort, int peerPort,
            Optional<TlsSettings.TrustStore> ca, Optional<String> pin) {
        TlsSettings tls = new TlsSettings(pki.keyStore(node), TestPki.PASSWORD, ca, pin);
        return new PairSettings(new NodeId(node), role, "127.0.0.1", listenPort, "127.0.0.1", peerPort, tls,
                100, 1_000, MAX_FRAME_BYTES, 50, 400);
    }

    private static TlsSettings.TrustStore pairCa() {
        return new TlsSettings.TrustStore(pki.trustStore(), TestPki.PASSWORD);
    }

    private static PairSettings withTls(PairSettings s, Path keyStore, Path trustStore) {
        TlsSettings tls = new TlsSettings(keyStore, TestPki.PASSWORD,
                Optional.of(new TlsSettings.TrustStore(trustStore, TestPki.PASSWORD)), Optional.empty());
        return new PairSettings(s.nodeId(), s.role(), s.listenAddress(), s.listenPort(), s.peerHost(), s.peerPort(), tls,
                s.heartbeatIntervalMs(), s.heartbeatTimeoutMs(), s.maxFrameBytes(), s.reconnectMinMs(), s.reconnectMaxMs());
    }

    private static RecordingListener listen(Node node, Object types) {
        RecordingListener listener = new RecordingListener();
        node.link().addPeerMessageListener(listener,
                types == null ? Map.of() : Map.of(PeerMessageListener.TYPE_PROPERTY, types));
        return listener;
    }

    private static void send(Node from, LinkChannel channel, String type, String payload) throws Exception {
        from.link().send(channel, type, payload.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
    }

    private static void awaitConnected(Node... nodes) {
        for (Node node : nodes) {
            await().atMost(PATIENCE).until(() -> node.link().state() == LinkState.CONNECTED);
        }
    }

    private static PeerRefused assertRefused(Node node, ColoErrorCode code) {
        await().atMost(PATIENCE).until(() -> node.link().stats().peersRefused() >= 1
                && !node.events().events(PeerRefused.class).isEmpty());
        PeerRefused refused = node.events().events(PeerRefused.class).get(0);
        assertEquals(code, refused.errorCode(), refused.message());
        assertTrue(refused.remote().startsWith("127.0.0.1:"), refused.remote());
        return refused;
    }

    private static void assertLinkDown(CompletableFuture<Void> sent) {
        ExecutionException error = assertThrows(ExecutionException.class, () -> sent.get(5, TimeUnit.SECONDS));
        ColoException cause = assertInstanceOf(ColoException.class, error.getCause());
        assertEquals(ColoErrorCode.LINK_DOWN, cause.code());
    }

    private static void assertIllegal(CompletableFuture<Void> sent) {
        ExecutionException error = assertThrows(ExecutionException.class, () -> sent.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, error.getCause());
    }

    private void assertUnusable(PairSettings settings, String expected) {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> started.add(new PeerLinkComponent(() -> settings)));
        ColoException cause = assertInstanceOf(ColoException.class, error.getCause());
        assertEquals(ColoErrorCode.TLS_MATERIAL_UNUSABLE, cause.code());
        assertTrue(cause.getMessage().contains(expected), cause.getMessage());
    }


    /** A TLS 1.3 client trusting the pair CA, presenting the node's certificate (none for {@code null}). */
    private static SSLSocket tlsClient(Node server, String node) throws Exception {
        KeyManager[] keys = null;
        if (node != null) {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(TestPki.load(pki.keyStore(node)), TestPki.PASSWORD.toCharArray());
            keys = factory.getKeyManagers();
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(TestPki.load(pki.trustStore()));
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys, trust.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
                server.settings().listenPort());
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** Sends a HELLO naming the node and reads until the server closes; returns the bytes read. */
    private static int helloAndDrain(Socket socket, String node) {
        try (socket) {
            write(socket, Frame.hello(new Greeting(new NodeId(node), LinkChannel.CONTROL)));
            return drain(socket.getInputStream());
        } catch (IOException refusedDuringHandshake) {
            return 0;
        }
    }

    private static void write(Socket socket, Frame frame) throws IOException {
        ByteBuffer wire = FrameEncoder.encode(frame);
        socket.getOutputStream().write(wire.array(), 0, wire.limit());
        socket.getOutputStream().flush();
    }

    private static Frame readFrame(Socket socket) throws Exception {
        FrameDecoder decoder = new FrameDecoder(1024);
        InputStream in = socket.getInputStream();
        Frame frame = null;
        while (frame == null) {
            int next = in.read();
            if (next < 0) {
                fail("connection closed before a whole frame arrived");
            }
            frame = decoder.decode(ByteBuffer.wrap(new byte[] {(byte) next}));
        }
        return frame;
    }

    /** Reads until the other end closes (or resets) the connection; fails if it keeps it open. */
    private static int drain(InputStream in) {
        int count = 0;
        byte[] buffer = new byte[4096];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                count += read;
            }
        } catch (SocketTimeoutException e) {
            fail("the server kept the connection open");
        } catch (IOException closed) {
            // reset or TLS alert: closed as well
        }
        return count;
    }
}
