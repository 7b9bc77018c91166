package dev.colo.proxy.internal.mina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.proxy.internal.config.ServiceSettings;
import dev.colo.proxy.internal.wire.ProxyMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy pair in one process with real guests: two redis-server processes, a primary and a secondary
 * {@link TcpProxy}, the peer link replaced by an in-order executor through the message codec, and a
 * stand-in coordinator that answers each checkpoint request with "released" on the primary.
 */
class TcpProxyRedisTest {
    @TempDir
    Path dir;

    private final List<Process> guests = new java.util.ArrayList<>();
    private final List<String> checkpointRequests = new CopyOnWriteArrayList<>();
    private final ExecutorService link = Executors.newSingleThreadExecutor();
    private final ExecutorService coordinator = Executors.newSingleThreadExecutor();
    private final AtomicLong epochs = new AtomicLong();
    /** When true, the secondary's redirected output is lost on the way (a stalled or dead secondary). */
    private volatile boolean secondarySilent;
    private TcpProxy primary;
    private TcpProxy secondary;
    private InetSocketAddress service;

    @BeforeEach
    void pair() throws Exception {
        assumeTrue(onPath("redis-server"), "redis-server is not installed (apt-get install redis-server): skipping the "
                + "proxy test with real guests");
        int primaryGuest = startRedis("primary");
        int secondaryGuest = startRedis("secondary");
        primary = new TcpProxy(settings(primaryGuest), Role.PRIMARY, message -> link.execute(
                () -> secondary.peerMessage(viaWire(message))), this::checkpoint, (id, offset) -> { }, true);
        secondary = new TcpProxy(settings(secondaryGuest), Role.SECONDARY, message -> link.execute(() -> {
            if (!secondarySilent) {
                primary.peerMessage(viaWire(message));
            }
        }), (reason, detail) -> { }, (id, offset) -> { }, true);
        secondary.start();
        service = primary.start();
    }

    @AfterEach
    void stop() {
        if (primary != null) {
            primary.close();
            secondary.close();
        }
        link.shutdownNow();
        coordinator.shutdownNow();
        guests.forEach(Process::destroyForcibly);
    }

    @Test
    void deterministicCommandsPassWithoutAnyCheckpoint() throws Exception {
        try (RespClient client = new RespClient(service)) {
            assertEquals("+PONG\r\n", client.call("PING"));
            for (int i = 0; i < 200; i++) {
                assertEquals("+OK\r\n", client.call("SET", "key" + i, "value" + i));
                assertEquals("$" + ("value" + i).length() + "\r\nvalue" + i + "\r\n", client.call("GET", "key" + i));
                assertEquals(":" + (i + 1) + "\r\n", client.call("INCR", "counter"));
            }
        }
        assertEquals(List.of(), checkpointRequests);
        assertEquals(primary.counters().comparedBytes(), primary.counters().releasedBytes(),
                "everything the primary's guest said was released");
    }

    @Test
    void nondeterministicRepliesCauseACheckpointAndTheClientGetsThePrimarysReplyInOrder() throws Exception {
        try (RespClient client = new RespClient(service)) {
            for (int i = 0; i < 20; i++) {
                String time = client.call("TIME");
                assertTrue(time.startsWith("*2\r\n$10\r\n"), "a whole TIME reply: " + time);
                assertEquals("+PONG\r\n", client.call("PING"), "and the next reply is the next one");
            }
        }
        assertTrue(checkpointRequests.stream().anyMatch(r -> r.startsWith("MISCOMPARE")), checkpointRequests.toString());
        assertTrue(primary.counters().miscompares() >= 1);
    }

    @Test
    void aSilentSecondaryMakesTheCompareTimeoutAskForACheckpointAfterWhichTheClientIsServed() throws Exception {
        secondarySilent = true;
        try (RespClient client = new RespClient(service)) {
            long started = System.nanoTime();
            assertEquals("+PONG\r\n", client.call("PING"));
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(waitedMillis >= 150, "held about the compare timeout (200 ms), not released early: "
                    + waitedMillis + " ms");
        }
        assertTrue(checkpointRequests.stream().anyMatch(r -> r.startsWith("COMPARE_TIMEOUT")), checkpointRequests.toString());
    }

    @Test
    void withTheSecondaryDeclaredDeadClientsAreServedDirectly() throws Exception {
        secondarySilent = true;
        try (RespClient client = new RespClient(service)) {
            primary.protecting(false);
            for (int i = 0; i < 50; i++) {
                assertEquals("+PONG\r\n", client.call("PING"));
            }
        }
        try (RespClient late = new RespClient(service)) {
            assertEquals("+PONG\r\n", late.call("PING"), "a new connection is not held either");
        }
        assertEquals(List.of(), checkpointRequests, "nothing waited for a checkpoint");
    }

    /** The stand-in coordinator: a checkpoint releases the primary's held output and starts the next epoch. */
    private void checkpoint(CheckpointReason reason, String detail) {
        checkpointRequests.add(reason + " " + detail);
        coordinator.execute(() -> {
            long epoch = epochs.incrementAndGet();
            link.execute(() -> secondary.checkpointLoaded(epoch)); // in order with the redirected output
            primary.checkpointReleased(epoch);
        });
    }

    private static ProxyMessage viaWire(ProxyMessage message) {
        try {
            return ProxyMessage.decode(message.type(), message.encode());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private ServiceSettings settings(int guestPort) {
        return ServiceSettings.parse(Map.of(ServiceSettings.NAME, "redis", ServiceSettings.LISTEN_ADDRESS, "127.0.0.1",
                ServiceSettings.LISTEN_PORT, Integer.toString(freePort()), ServiceSettings.GUEST_PORT,
                Integer.toString(guestPort), ServiceSettings.COMPARE_TIMEOUT_MS, "200"));
    }

    private int startRedis(String name) throws Exception {
        int port = freePort();
        Path log = dir.resolve(name + ".log");
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        guests.add(redis);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (RespClient probe = new RespClient(new InetSocketAddress("127.0.0.1", port))) {
                probe.call("PING");
                return port;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("redis-server did not start: " + Files.readString(log));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String tool) {
        for (String path : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(path, tool))) {
                return true;
            }
        }
        return false;
    }
}
