package dev.colo.nbd.client.interop;

import static dev.colo.nbd.client.interop.InteropChecks.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.client.ClientState;
import dev.colo.nbd.client.NbdClient;
import dev.colo.nbd.internal.mina.RunningExport;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our client against our own server (dev.colo.nbd), in-process: the pair the replication will use. */
class OwnServerInteropTest extends ClientContract {
    @TempDir
    static Path dir;
    private static RunningExport server;

    @BeforeAll
    static void startServer() throws Exception {
        server = RunningExport.start(dir, "disk0", 64L * 1024 * 1024);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    NbdClient connect() throws Exception {
        return get(NbdClient.connect("127.0.0.1", server.port(), "disk0", NbdClient.Options.defaults()
                .withConnectTimeout(Duration.ofSeconds(5))));
    }

    @Test
    void shouldNegotiateGoWithStructuredReplies() throws Exception {
        try (NbdClient client = connect()) {
            assertEquals(ClientState.READY, client.state());
            assertEquals(64L * 1024 * 1024, client.export().sizeBytes());
            assertTrue(client.export().structuredReplies());
            assertTrue(client.export().canFlush() && client.export().canFua() && client.export().canWriteZeroes());
        }
    }
}
