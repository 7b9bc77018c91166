package dev.colo.guest.kv.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.guest.kv.internal.log.CommandLog;
import dev.colo.guest.kv.internal.resp.QueryBudget;
import dev.colo.guest.kv.internal.store.KvStore;
import dev.colo.storage.FileBlockDevice;
import dev.colo.testing.RespClient;
import dev.colo.testing.ThisMachine;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference guest over real sockets, with the real Redis clients where they are installed. */
class KvServerTest {
    @TempDir
    Path dir;
    private FileBlockDevice disk;
    private KvServer server;
    private int port;
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    private KvServer newServer(boolean debug) throws java.io.IOException {
        return new KvServer("test", new KvStore(CommandLog.open(disk, m -> { }), System::currentTimeMillis, 8L << 20, 64,
                1L << 20),
                new ServerOptions(1 << 20, new QueryBudget(8L << 20), debug, 1_000, true, 2_000),
                (failed, what) -> failures.add(what));
    }

    @BeforeEach
    void start() throws Exception {
        disk = FileBlockDevice.open(dir.resolve("disk.img"), 64L << 20, false);
        server = newServer(false);
        port = server.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        disk.close();
    }

    @Test
    void redisCliAndRedisBenchmarkWorkUnmodified() throws Exception {
        assumeTrue(ThisMachine.hasTool("redis-cli") && ThisMachine.hasTool("redis-benchmark"),
                "redis-cli or redis-benchmark is not installed (apt-get install redis-tools): skipping");
        assertEquals("OK", run("redis-cli", "-p", Integer.toString(port), "SET", "greeting", "hello"));
        assertEquals("hello", run("redis-cli", "-p", Integer.toString(port), "GET", "greeting"));
        String bench = run("redis-benchmark", "-p", Integer.toString(port), "-t", "ping,set,get,incr,mset", "-n", "2000",
                "-c", "8", "-q");
        assertFalse(bench.contains("ERR"), bench);
        assertFalse(bench.contains("WARNING"), bench);
        for (String test : List.of("PING_INLINE:", "PING_MBULK:", "SET:", "GET:", "INCR:", "MSET (10 keys):")) {
            assertTrue(bench.contains(test), test + " missing in: " + bench);
        }
        assertEquals("2000", run("redis-cli", "-p", Integer.toString(port), "GET", "counter:__rand_int__"),
                "every INCR of redis-benchmark counted");
    }

    /**
     * Many connections pipelining increments of one key with markers between them: each connection's replies come in
     * the order of its commands, every increment is answered once with a value of its own, and all are counted.
     */
    @Test
    void pipelinedConnectionsAreAnsweredInOrderAndEveryIncrementCounts() throws Exception {
        int connections = 16;
        int rounds = 300;
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(connections);
        List<java.util.concurrent.Future<List<Long>>> results = new java.util.ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            results.add(clients.submit(() -> {
                try (Socket client = new Socket("127.0.0.1", port)) {
                    client.setSoTimeout(30_000);
                    StringBuilder pipeline = new StringBuilder();
                    for (int i = 0; i < rounds; i++) {
                        pipeline.append("INCR shared\r\nECHO ").append(connection).append(':').append(i).append("\r\n");
                    }
                    client.getOutputStream().write(pipeline.toString().getBytes(StandardCharsets.US_ASCII));
                    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                            client.getInputStream(), StandardCharsets.US_ASCII));
                    List<Long> values = new java.util.ArrayList<>();
                    for (int i = 0; i < rounds; i++) {
                        String increment = in.readLine();
                        assertTrue(increment.startsWith(":"), "connection " + connection + " round " + i + ": "
                                + increment);
                        values.add(Long.parseLong(increment.substring(1)));
                        in.readLine(); // the bulk's length
                        assertEquals(connection + ":" + i, in.readLine(), "replies in the order of the commands");
                    }
                    return values;
                }
            }));
        }
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (java.util.concurrent.Future<List<Long>> result : results) {
            List<Long> values = result.get(60, java.util.concurrent.TimeUnit.SECONDS);
            for (int i = 1; i < values.size(); i++) {
                assertTrue(values.get(i) > values.get(i - 1), "a connection sees its own increments in order");
            }
            seen.addAll(values);
        }
        clients.shutdown();
        assertEquals(connections * rounds, seen.size(), "every increment answered with a value of its own");
        try (RespClient client = new RespClient(new InetSocketAddress("127.0.0.1", port))) {
            String total = Integer.toString(connections * rounds);
            assertEquals("$" + total.length() + "\r\n" + total + "\r\n", client.call("GET", "shared"));
        }
    }

    @Test
    void aPausedGuestAnswersNothingUntilResumed() throws Exception {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(300);
            InputStream in = client.getInputStream();
            server.pause();
            client.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThrows(SocketTimeoutException.class, in::read, "a paused guest says nothing");
            server.resume();
            client.setSoTimeout(10_000);
            assertEquals("+PONG\r\n", new String(in.readNBytes(7), StandardCharsets.US_ASCII));
        }
    }

    /** As a primary that handed over is stopped: the stop does not hang, and what waited is not run. */
    @Test
    void aPausedGuestStopsWithoutRunningWhatWaited() throws Exception {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(10_000);
            server.pause();
            client.getOutputStream().write("SET late 1\r\n".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(200); // the command reaches the guest's I/O thread and waits at the gate
            server.close();
            assertEquals(-1, client.getInputStream().read(), "closed without a reply");
        }
        server = newServer(false);
        port = server.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("EXISTS late\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(":0\r\n", new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
        }
    }

    /** An error in an I/O thread (as the heap running out) is told to the owner, who restarts the guest. */
    @Test
    void anErrorInAnIoThreadIsToldToTheOwner() throws Exception {
        server.close();
        server = newServer(true);
        port = server.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("DEBUG OOM\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, client.getInputStream().read(), "closed without a reply");
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !failures.isEmpty());
        assertTrue(failures.get(0).contains("OutOfMemoryError"), failures.toString());
        // the command that failed holds no place in the pause gate: a checkpoint (a hand-over's) can still pause
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> server.pause());
        server.resume();
    }

    /** An I/O thread that dies leaves its connections to nobody: the owner is told, and stopping does not hang. */
    @Test
    void anIoThreadThatDiesIsToldToTheOwnerAndTheServerStillStops() throws Exception {
        server.close();
        server = newServer(true);
        port = server.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.getOutputStream().write("DEBUG PANIC\r\n".getBytes(StandardCharsets.US_ASCII));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> failures.stream().anyMatch(failure -> failure.contains("died")));
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> server.close());
        }
        server = newServer(false);
        port = server.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
    }

    @Test
    void debugCommandsAreRefusedUnlessConfigured() throws Exception {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("DEBUG OOM\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            String expected = "-ERR unknown command 'debug'\r\n+PONG\r\n";
            assertEquals(expected, new String(client.getInputStream().readNBytes(expected.length()),
                    StandardCharsets.US_ASCII));
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    /** A command that never completes is a hang once the watchdog's timeout passed; an idle guest never is. */
    @Test
    void theWatchdogSeesACommandThatDoesNotComplete() throws Exception {
        server.close();
        server = newServer(true);
        port = server.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
        assertTrue(server.hang(System.nanoTime()).isEmpty(), "an idle guest is not hung");
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.getOutputStream().write("DEBUG SLEEP 5\r\n".getBytes(StandardCharsets.US_ASCII));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(4))
                    .until(() -> server.hang(System.nanoTime()).isPresent());
            String hang = server.hang(System.nanoTime()).orElseThrow();
            assertTrue(hang.startsWith("1 command(s) in progress and none completed for "), hang);
        }
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + out);
        return out.strip();
    }
}
