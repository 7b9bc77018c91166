package dev.colo.nbd.internal.mina;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage, truncation, impossible lengths and connection floods: each bad connection is closed alone,
 * the server stays up, another client still works and the export's content does not change.
 */
class HostileInputTest {
    private static final long SIZE = 4L * 1024 * 1024;
    private static final int C_FLAGS = NbdConstants.FLAG_C_FIXED_NEWSTYLE | NbdConstants.FLAG_C_NO_ZEROES;

    @TempDir
    Path dir;
    private RunningExport export;
    private String contentBefore;
    private byte[] data;

    @BeforeEach
    void startWithContent() throws Exception {
        export = RunningExport.start(dir, "victim", SIZE);
        data = new byte[1024 * 1024];
        new SplittableRandom(1).nextBytes(data);
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.go("victim");
            client.sendRequest(NbdConstants.CMD_FLAG_FUA, NbdCommand.WRITE.wireValue(), 1, 0, data.length, data);
            assertEquals(0, client.readTransmissionReply(0).error());
        }
        contentBefore = export.sha256();
    }

    @AfterEach
    void stop() throws Exception {
        export.close();
    }

    /** Checked after every attack: healthy server, unchanged content, no connection left behind. */
    private void assertServerUnharmed() throws Exception {
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.go("victim");
            client.sendRequest(0, NbdCommand.READ.wireValue(), 2, 0, data.length, null);
            assertArrayEquals(data, client.readTransmissionReply(data.length).data());
        }
        assertEquals(contentBefore, export.sha256(), "export content changed");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertEquals(0, export.export().counters().connectionsOpen()));
    }

    @Test
    void shouldSurviveRandomBytesInEveryPhase() throws Exception {
        SplittableRandom random = new SplittableRandom(99);
        for (int i = 0; i < 60; i++) {
            byte[] garbage = new byte[1 + random.nextInt(8192)];
            random.nextBytes(garbage);
            try (RawNbdClient client = new RawNbdClient(export.port())) {
                switch (i % 3) {
                    case 0 -> client.handshake(C_FLAGS);
                    case 1 -> client.go("victim");
                    default -> {
                        // garbage instead of the client flags
                    }
                }
                client.sendRaw(garbage);
                client.soTimeout(2_000);
                client.closedByServer();
            } catch (IOException e) {
                // the server may reset the connection while we still write: that is the point
            }
        }
        assertServerUnharmed();
        assertTrue(export.export().counters().snapshot().connectionsClosedForProtocolErrors() > 0);
    }

    @Test
    void shouldCloseOnImpossibleLengthsAndBadMagic() throws Exception {
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.handshake(C_FLAGS);
            client.sendRaw(ByteBuffer.allocate(16).putLong(NbdConstants.IHAVEOPT).putInt(NbdOption.GO.wireValue())
                    .putInt(0xffffffff).array());
            assertTrue(client.closedByServer(), "4 GiB option");
        }
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.handshake(C_FLAGS);
            client.sendRaw(ByteBuffer.allocate(16).putLong(0x1122334455667788L).putInt(7).putInt(0).array());
            assertTrue(client.closedByServer(), "option without IHAVEOPT");
        }
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.go("victim");
            client.sendRequest(0, NbdCommand.WRITE.wireValue(), 3, 0, 0xffffffff, null);
            assertTrue(client.closedByServer(), "4 GiB write");
        }
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.go("victim");
            client.sendRequest(0, NbdCommand.WRITE.wireValue(), 3, 0, NbdConstants.MAX_PAYLOAD_BYTES + 1, null);
            assertTrue(client.closedByServer(), "write above the maximum payload");
        }
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.go("victim");
            ByteBuffer request = ByteBuffer.allocate(28).putInt(0xdeadbeef).putShort((short) 0)
                    .putShort((short) NbdCommand.WRITE.wireValue()).putLong(4).putLong(0).putInt(4);
            client.sendRaw(request.array());
            client.sendRaw(new byte[] {9, 9, 9, 9});
            assertTrue(client.closedByServer(), "bad request magic");
        }
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.go("victim");
            // a huge READ is not a framing error: it is refused and the connection lives on
            client.sendRequest(0, NbdCommand.READ.wireValue(), 5, 0, 0xffffffff, null);
            assertEquals(22, client.readTransmissionReply(0).error());
        }
        assertServerUnharmed();
    }

    @Test
    void shouldSurviveTruncatedHandshakesAndRequests() throws Exception {
        for (int cut = 0; cut < 40; cut++) {
            try (RawNbdClient client = new RawNbdClient(export.port())) {
                ByteBuffer stream = ByteBuffer.allocate(4 + 16 + 10 + 2 + 28 + 16);
                stream.putInt(C_FLAGS).putLong(NbdConstants.IHAVEOPT).putInt(NbdOption.GO.wireValue()).putInt(12)
                        .putInt(6).put("victim".getBytes()).putShort((short) 0);
                stream.put(dev.colo.nbd.protocol.TransmissionWire.encodeRequestHeader(0,
                        NbdCommand.WRITE.wireValue(), 1, 0, 16));
                byte[] all = stream.array();
                client.in().readNBytes(NbdConstants.GREETING_BYTES);
                client.sendRaw(java.util.Arrays.copyOf(all, Math.min(all.length, cut * 2)));
            }
        }
        assertServerUnharmed();
    }

    @Test
    void shouldIgnoreRequestsAfterDisc() throws Exception {
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.go("victim");
            client.sendRequest(0, NbdCommand.DISC.wireValue(), 1, 0, 0, null);
            byte[] zeroes = new byte[4096];
            for (int i = 0; i < 10; i++) {
                client.sendRequest(0, NbdCommand.WRITE.wireValue(), 10 + i, 4096L * i, zeroes.length, zeroes);
            }
            assertTrue(client.closedByServer());
        } catch (IOException e) {
            // reset while still writing after DISC is fine
        }
        assertServerUnharmed();
    }

    @Test
    void shouldSurviveAThousandConnectionsOpenedAndDropped() throws Exception {
        for (int i = 0; i < 1000; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", export.port()), 5_000);
                if (i % 2 == 0) {
                    socket.setSoLinger(true, 0); // reset instead of an orderly close
                }
                if (i % 5 == 0) {
                    socket.getOutputStream().write(new byte[] {0, 0, 0, 3});
                }
            }
        }
        assertServerUnharmed();
        assertTrue(export.export().counters().snapshot().connectionsAccepted() >= 1000);
    }
}
