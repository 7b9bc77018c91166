package dev.colo.nbd.client.interop;

import static dev.colo.nbd.client.interop.InteropChecks.get;
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
class NbdkitInteropTest extends ClientContract {
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

    @Override
    NbdClient connect() throws Exception {
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
}
