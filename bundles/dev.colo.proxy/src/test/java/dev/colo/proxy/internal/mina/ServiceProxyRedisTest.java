package dev.colo.proxy.internal.mina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.testing.RespClient;
import dev.colo.testing.ThisMachine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy pair in one process ({@link ProxyPair}) with real guests: two redis-server processes.
 */
class ServiceProxyRedisTest {
    @TempDir
    Path dir;

    private final List<Process> guests = new java.util.ArrayList<>();
    private ProxyPair pair;
    private ServiceProxy primary;
    private InetSocketAddress service;
    private List<String> checkpointRequests;

    @BeforeEach
    void pair() throws Exception {
        assumeTrue(ThisMachine.hasTool("redis-server"), "redis-server is not installed (apt-get install redis-server): skipping the "
                + "proxy test with real guests");
        pair = new ProxyPair(startRedis("primary"), startRedis("secondary"), Map.of());
        primary = pair.primary;
        service = pair.service;
        checkpointRequests = pair.checkpointRequests;
    }

    @AfterEach
    void stop() {
        if (pair != null) {
            pair.close();
        }
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
        pair.secondarySilent = true;
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
        pair.secondarySilent = true;
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

    @Test
    void aConnectionServedUnprotectedEndsAtTheNextCheckpointAndANewOneIsCompared() throws Exception {
        try (RespClient client = new RespClient(service)) {
            assertEquals("+OK\r\n", client.call("SET", "before", "1"));
            primary.protecting(false); // the secondary was DEAD for a while: this connection goes on uncompared
            assertEquals("+OK\r\n", client.call("SET", "meanwhile", "2"));
            primary.protecting(true);
            pair.checkpoint(CheckpointReason.PROTECT, "protection starts again");
            long deadline = System.nanoTime() + 10_000_000_000L;
            boolean ended = false;
            while (!ended && System.nanoTime() < deadline) {
                try {
                    client.call("PING"); // served only until the checkpoint ends the connection
                    Thread.sleep(10);
                } catch (IOException closed) {
                    ended = true;
                }
            }
            assertTrue(ended, "a connection that went on unprotected must not outlive the checkpoint: a failover "
                    + "after it would lose what it acknowledged");
        }
        long compared = primary.counters().comparedBytes();
        try (RespClient again = new RespClient(service)) {
            assertEquals("$1\r\n2\r\n", again.call("GET", "meanwhile"));
        }
        assertTrue(primary.counters().comparedBytes() > compared, "the new connection is compared");
    }

    @Test
    void aConnectionServedUnprotectedEndsAsSoonAsProtectionStartsAndACheckpointTakesWhatItAcknowledged()
            throws Exception {
        try (RespClient client = new RespClient(service)) {
            primary.protecting(false); // the secondary was DEAD for a while: this connection goes on uncompared
            assertEquals("+OK\r\n", client.call("SET", "meanwhile", "2"));
            checkpointRequests.clear();

            primary.protecting(true); // no checkpoint yet: the connection must not acknowledge anything more

            assertThrows(IOException.class, () -> client.call("SET", "after", "3"),
                    "an unprotected connection must not acknowledge writes once the pair says it is protected");
            assertTrue(checkpointRequests.stream().anyMatch(r -> r.startsWith("PROTECT")), checkpointRequests.toString());
        }
        try (RespClient again = new RespClient(service)) {
            assertEquals("$1\r\n2\r\n", again.call("GET", "meanwhile"));
            assertEquals("$-1\r\n", again.call("GET", "after"), "never written");
        }
    }

    private int startRedis(String name) throws Exception {
        int port = ThisMachine.freePort();
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
}
