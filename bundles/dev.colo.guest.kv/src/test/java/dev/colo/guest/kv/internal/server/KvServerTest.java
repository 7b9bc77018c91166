package dev.colo.guest.kv.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.guest.kv.internal.log.CommandLog;
import dev.colo.guest.kv.internal.store.KvStore;
import dev.colo.storage.FileBlockDevice;
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

    @BeforeEach
    void start() throws Exception {
        disk = FileBlockDevice.open(dir.resolve("disk.img"), 64L << 20, false);
        server = new KvServer("test", new KvStore(CommandLog.open(disk, m -> { }), System::currentTimeMillis));
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
        server = new KvServer("test", new KvStore(CommandLog.open(disk, m -> { }), System::currentTimeMillis));
        port = server.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("EXISTS late\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(":0\r\n", new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
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
