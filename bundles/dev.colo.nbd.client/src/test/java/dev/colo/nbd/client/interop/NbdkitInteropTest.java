package dev.colo.nbd.client.interop;

import static dev.colo.nbd.client.interop.InteropChecks.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.client.ClientState;
import dev.colo.nbd.client.NbdClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our client against {@code nbdkit memory 64M}. */
class NbdkitInteropTest {
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        ServerProcess.assumeInstalled("nbdkit");
        server = ServerProcess.start("nbdkit", "-f", "-i", "127.0.0.1", "-p", "PORT", "memory", "64M");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static NbdClient connect() throws Exception {
        return get(NbdClient.connect("127.0.0.1", server.port, "", NbdClient.Options.defaults()
                .withConnectTimeout(Duration.ofSeconds(5))));
    }

    @Test
    void shouldNegotiateGoWithStructuredRepliesAndReportTheExport() throws Exception {
        try (NbdClient client = connect()) {
            assertEquals(ClientState.READY, client.state());
            assertEquals(64L * 1024 * 1024, client.export().sizeBytes());
            assertTrue(client.export().structuredReplies());
            assertFalse(client.export().readOnly());
            assertTrue(client.export().canFlush());
            assertTrue(client.export().canWriteZeroes());
            assertTrue(client.export().maxBlockBytes() > 0);
        }
    }

    @Test
    void shouldWriteAndReadBackPatterns() throws Exception {
        try (NbdClient client = connect()) {
            InteropChecks.writeAndReadBack(client);
        }
    }

    @Test
    void shouldPipeline64Requests() throws Exception {
        try (NbdClient client = connect()) {
            InteropChecks.pipelined(client, 64);
        }
    }

    @Test
    void shouldFlushTrimAndWriteZeroes() throws Exception {
        try (NbdClient client = connect()) {
            InteropChecks.flushTrimZeroes(client);
        }
    }

    @Test
    void shouldRefuseOutOfRangeRequestsLocally() throws Exception {
        try (NbdClient client = connect()) {
            InteropChecks.outOfRangeRefused(client);
        }
    }

    @Test
    void shouldCloseInOrderAndIdempotently() throws Exception {
        NbdClient client = connect();
        byte[] data = InteropChecks.pattern(4096, 99);
        var write = client.write(0, data, false);
        client.close();
        get(write); // answered before NBD_CMD_DISC
        client.close();
        assertEquals(ClientState.CLOSED, client.state());
        assertTrue(InteropChecks.failure(client.read(0, 1)) instanceof dev.colo.nbd.client.NbdConnectionException);
        try (NbdClient again = connect()) {
            assertArrayEquals(data, get(again.read(0, 4096)), "memory plugin keeps data across connections");
        }
    }
}
