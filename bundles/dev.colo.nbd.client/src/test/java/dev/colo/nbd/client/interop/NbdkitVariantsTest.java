package dev.colo.nbd.client.interop;

import static dev.colo.nbd.client.interop.InteropChecks.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.client.ClientState;
import dev.colo.nbd.client.NbdClient;
import dev.colo.nbd.client.NbdCommandException;
import dev.colo.nbd.client.NbdConnectionException;
import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** nbdkit configured to exercise the other paths: simple replies, non-fixed newstyle, errors, slow replies. */
class NbdkitVariantsTest {

    @BeforeEach
    void needNbdkit() {
        ServerProcess.assumeInstalled("nbdkit");
    }

    private static NbdClient connect(ServerProcess server) throws Exception {
        return get(NbdClient.connect("127.0.0.1", server.port, "", NbdClient.Options.defaults()));
    }

    @Test
    void shouldUseSimpleRepliesWhenStructuredRepliesAreRefused() throws Exception {
        try (ServerProcess server = ServerProcess.start("nbdkit", "-f", "--no-sr", "-i", "127.0.0.1", "-p", "PORT",
                "memory", "64M"); NbdClient client = connect(server)) {
            assertFalse(client.export().structuredReplies());
            InteropChecks.writeAndReadBack(client);
            InteropChecks.pipelined(client, 64);
        }
    }

    @Test
    void shouldSendExportNameToANonFixedNewstyleServer() throws Exception {
        try (ServerProcess server = ServerProcess.start("nbdkit", "-f", "--mask-handshake=0", "-i", "127.0.0.1", "-p",
                "PORT", "memory", "64M"); NbdClient client = connect(server)) {
            assertEquals(64L * 1024 * 1024, client.export().sizeBytes());
            assertFalse(client.export().structuredReplies());
            InteropChecks.writeAndReadBack(client);
        }
    }

    @Test
    void shouldFailOneRequestWithTheServersErrorInStructuredAndSimpleReplies() throws Exception {
        for (String sr : new String[] {"--newstyle", "--no-sr"}) {
            try (ServerProcess server = ServerProcess.start("nbdkit", "-f", sr, "-i", "127.0.0.1", "-p", "PORT",
                    "--filter=error", "memory", "64M", "error=EIO", "error-pread-rate=1");
                    NbdClient client = connect(server)) {
                Throwable failure = InteropChecks.failure(client.read(4096, 512));
                NbdCommandException error = assertInstanceOf(NbdCommandException.class, failure, sr);
                assertEquals(NbdCommand.READ, error.command());
                assertEquals(4096, error.offset());
                assertEquals(512, error.length());
                assertEquals(NbdError.EIO, error.error().orElseThrow());
                assertTrue(error.getMessage().contains("READ") && error.getMessage().contains("offset=4096")
                        && error.getMessage().contains("length=512") && error.getMessage().contains("EIO"),
                        error.getMessage());
                get(client.write(0, new byte[] {1, 2, 3}, false)); // the connection stays usable
                assertEquals(ClientState.READY, client.state());
            }
        }
    }

    @Test
    void shouldFailEveryInFlightRequestWhenTheServerIsKilled() throws Exception {
        try (ServerProcess server = ServerProcess.start("nbdkit", "-f", "-i", "127.0.0.1", "-p", "PORT",
                "--filter=delay", "memory", "64M", "rdelay=10"); NbdClient client = connect(server)) {
            List<CompletableFuture<byte[]>> reads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                reads.add(client.read(i * 4096L, 4096));
            }
            assertEquals(16, client.inFlight());
            server.kill();
            for (CompletableFuture<byte[]> read : reads) {
                Throwable failure = InteropChecks.failure(read);
                assertInstanceOf(NbdConnectionException.class, failure);
                assertTrue(failure.getMessage().contains("connection lost"), failure.getMessage());
                assertTrue(failure.getMessage().contains("NBD_CMD_READ"), failure.getMessage());
            }
            assertEquals(ClientState.DEAD, client.state());
            assertEquals(0, client.inFlight());
            assertInstanceOf(NbdConnectionException.class, InteropChecks.failure(client.read(0, 1)),
                    "no reconnect by default: refused");
        }
    }

    @Test
    void shouldReadUnalignedRangesAcrossHoles() throws Exception {
        try (ServerProcess server = ServerProcess.start("nbdkit", "-f", "-i", "127.0.0.1", "-p", "PORT", "memory",
                "64M"); NbdClient client = connect(server)) {
            byte[] data = InteropChecks.pattern(3, 5);
            get(client.write(1_048_577, data, false));
            byte[] back = get(client.read(1_048_570, 20)); // hole, data, hole (nbdkit may answer OFFSET_HOLE)
            byte[] expected = new byte[20];
            System.arraycopy(data, 0, expected, 7, 3);
            assertArrayEquals(expected, back);
        }
    }

    @Test
    void shouldKeep64ReadsInFlightAndMatchTheirRepliesByHandle() throws Exception {
        try (ServerProcess server = ServerProcess.start("nbdkit", "-f", "-t", "64", "-i", "127.0.0.1", "-p", "PORT",
                "--filter=delay", "memory", "64M", "rdelay=300ms"); NbdClient client = connect(server)) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                writes.add(client.write(i * 10_000L, InteropChecks.pattern(10_000, i), false));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(20, java.util.concurrent.TimeUnit.SECONDS);
            List<CompletableFuture<byte[]>> reads = new ArrayList<>();
            for (int i = 63; i >= 0; i--) {
                reads.add(client.read(i * 10_000L, 10_000));
            }
            assertEquals(64, client.inFlight(), "every read is answered only after 300 ms");
            for (int i = 0; i < 64; i++) {
                assertArrayEquals(InteropChecks.pattern(10_000, 63 - i), get(reads.get(i)), "read " + i);
            }
            assertEquals(0, client.inFlight());
        }
    }
}
