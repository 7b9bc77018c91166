package dev.colo.nbd.client.interop;

import static dev.colo.nbd.client.interop.InteropChecks.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.client.ClientState;
import dev.colo.nbd.client.NbdClient;
import dev.colo.nbd.client.NbdConnectionException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our client against {@code qemu-nbd -f raw -t --persistent FILE}. */
class QemuNbdInteropTest {
    private static final long SIZE = 64L * 1024 * 1024;

    @TempDir
    Path dir;
    private ServerProcess server;

    @BeforeEach
    void startServer() throws Exception {
        ServerProcess.assumeInstalled("qemu-nbd");
        Path file = dir.resolve("disk.raw");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(SIZE);
        }
        server = ServerProcess.start("qemu-nbd", "-f", "raw", "-x", "disk0", "-b", "127.0.0.1", "-p", "PORT", "-t",
                "--persistent", "--cache=writeback", file.toString());
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private NbdClient connect(NbdClient.Options options) throws Exception {
        return get(NbdClient.connect(java.net.URI.create("nbd://127.0.0.1:" + server.port + "/disk0"), options));
    }

    @Test
    void shouldReadWriteFlushTrimZeroAndPipeline() throws Exception {
        try (NbdClient client = connect(NbdClient.Options.defaults())) {
            assertEquals(SIZE, client.export().sizeBytes());
            assertTrue(client.export().structuredReplies());
            assertTrue(client.export().canFlush() && client.export().canTrim() && client.export().canWriteZeroes());
            InteropChecks.writeAndReadBack(client);
            InteropChecks.pipelined(client, 64);
            InteropChecks.flushTrimZeroes(client);
            InteropChecks.outOfRangeRefused(client);
        }
    }

    @Test
    void shouldFailForAnUnknownExportNamingIt() throws Exception {
        CompletableFuture<NbdClient> connecting = NbdClient.connect("127.0.0.1", server.port, "nope",
                NbdClient.Options.defaults());
        Throwable failure = InteropChecks.failure(connecting);
        assertInstanceOf(NbdConnectionException.class, failure);
        assertTrue(failure.getMessage().contains("nope") && failure.getMessage().contains("ERR_UNKNOWN"),
                failure.getMessage());
    }

    @Test
    void shouldFailInFlightRequestsWhenTheServerDiesAndReconnectAfterItRestarts() throws Exception {
        NbdClient.Options options = NbdClient.Options.defaults().withAutoReconnect(true)
                .withReconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400));
        try (NbdClient client = connect(options)) {
            byte[] kept = InteropChecks.pattern(4096, 1);
            get(client.write(0, kept, true));
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                writes.add(client.write(512L * 1024 * (1 + i), new byte[512 * 1024], false));
            }
            server.kill();
            int lost = 0;
            for (CompletableFuture<Void> write : writes) {
                try {
                    get(write);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertInstanceOf(NbdConnectionException.class, e.getCause());
                    assertTrue(e.getCause().getMessage().contains("connection lost"), e.getCause().getMessage());
                    lost++;
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> client.state() != ClientState.READY);
            Throwable refused = InteropChecks.failure(client.read(0, 1));
            assertInstanceOf(NbdConnectionException.class, refused, "fail fast while reconnecting");
            long deadEpoch = client.epoch();

            server.restart();
            get(client.whenReady());
            assertTrue(client.epoch() > deadEpoch || client.isReady());
            assertEquals(ClientState.READY, client.state());
            assertArrayEquals(kept, get(client.read(0, 4096)), "FUA write survived the restart");
            System.out.println("in flight at the kill and failed: " + lost + " of 64");
        }
    }
}
