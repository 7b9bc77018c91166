package dev.colo.nbd.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdError;
import dev.colo.nbd.protocol.NbdReplyType;
import dev.colo.nbd.protocol.NbdRequest;
import dev.colo.nbd.protocol.SimpleReply;
import dev.colo.nbd.protocol.StructuredReplyChunk;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client against a scripted server: fallbacks, replies out of order, chunked READs, protocol errors. */
class NbdClientScriptedTest {

    private static byte[] content(long offset, int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) ((offset + i) * 31 + 7);
        }
        return data;
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void shouldFallBackToExportNameAndSimpleRepliesAndMatchRepliesInAnyOrder() throws Exception {
        try (ScriptedServer server = new ScriptedServer(false, false, 1 << 20, s -> {
            List<NbdRequest> requests = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                requests.add(s.readRequest());
            }
            for (int i = 2; i >= 0; i--) { // reverse order
                NbdRequest r = requests.get(i);
                s.send(SimpleReply.ok(r.handle(), ByteBuffer.wrap(content(r.offset(), r.length()))));
            }
            NbdRequest disc = s.readRequest();
            assertEquals(NbdCommand.DISC.wireValue(), disc.type());
        })) {
            NbdClient client = get(NbdClient.connect("127.0.0.1", server.port(), "x", NbdClient.Options.defaults()));
            assertFalse(client.export().structuredReplies());
            assertEquals(1 << 20, client.export().sizeBytes());
            CompletableFuture<byte[]> a = client.read(0, 100);
            CompletableFuture<byte[]> b = client.read(5000, 3000);
            CompletableFuture<byte[]> c = client.read((1 << 20) - 1, 1);
            assertArrayEquals(content(0, 100), get(a));
            assertArrayEquals(content(5000, 3000), get(b));
            assertArrayEquals(content((1 << 20) - 1, 1), get(c));
            client.close();
            get(server.done());
            assertEquals(ClientState.CLOSED, client.state());
        }
    }

    @Test
    void shouldAssembleAChunkedReadAndReportAnErrorChunkWithItsMessage() throws Exception {
        try (ScriptedServer server = new ScriptedServer(true, true, 1 << 20, s -> {
            NbdRequest read = s.readRequest();
            NbdRequest failing = s.readRequest();
            long at = read.offset();
            // second half, a hole in the first quarter, then the second quarter, then an empty final chunk
            s.send(new StructuredReplyChunk(0, NbdReplyType.OFFSET_DATA, read.handle(),
                    ByteBuffer.allocate(8 + 512).putLong(at + 512).put(content(at + 512, 512)).flip()));
            s.send(new StructuredReplyChunk(0, NbdReplyType.OFFSET_HOLE, read.handle(),
                    ByteBuffer.allocate(12).putLong(at).putInt(256).flip()));
            s.send(new StructuredReplyChunk(0, NbdReplyType.OFFSET_DATA, read.handle(),
                    ByteBuffer.allocate(8 + 256).putLong(at + 256).put(content(at + 256, 256)).flip()));
            byte[] message = "bad sector".getBytes(StandardCharsets.UTF_8);
            s.send(new StructuredReplyChunk(NbdConstants.REPLY_FLAG_DONE, NbdReplyType.ERROR, failing.handle(),
                    ByteBuffer.allocate(6 + message.length).putInt(NbdError.EIO.wireValue())
                            .putShort((short) message.length).put(message).flip()));
            s.send(StructuredReplyChunk.done(read.handle()));
            NbdRequest pending = s.readRequest();
            s.send(SimpleReply.ok(pending.handle() + 1000)); // a reply for a handle never sent: protocol error
        })) {
            NbdClient client = get(NbdClient.connect("127.0.0.1", server.port(), "x", NbdClient.Options.defaults()));
            assertTrue(client.export().structuredReplies());
            CompletableFuture<byte[]> read = client.read(4096, 1024);
            CompletableFuture<byte[]> failing = client.read(8192, 10);
            CompletableFuture.anyOf(failing, server.done()).exceptionally(e -> null).get(10, TimeUnit.SECONDS);
            if (server.done().isCompletedExceptionally()) {
                get(server.done()); // the server's own failure, not the client's
            }
            NbdCommandException error = assertInstanceOf(NbdCommandException.class, failure(failing));
            assertTrue(error.getMessage().contains("NBD_CMD_READ offset=8192 length=10 failed: EIO (server: bad sector)"),
                    error.getMessage());
            byte[] expected = content(4096, 1024);
            java.util.Arrays.fill(expected, 0, 256, (byte) 0);
            assertArrayEquals(expected, get(read));

            CompletableFuture<Void> victim = client.write(0, new byte[] {1}, false);
            Throwable lost = failure(victim);
            assertInstanceOf(NbdConnectionException.class, lost);
            assertTrue(lost.getMessage().contains("connection lost"), lost.getMessage());
            assertEquals(ClientState.DEAD, client.state());
            get(server.done());
            client.close();
            assertEquals(ClientState.DEAD, client.state(), "close after DEAD keeps DEAD");
        }
    }

    @Test
    void shouldRefuseAPayloadAbove32MiBBeforeSending() throws Exception {
        try (ScriptedServer server = new ScriptedServer(true, true, 1L << 30, s -> s.readRequest())) {
            try (NbdClient client = get(NbdClient.connect("127.0.0.1", server.port(), "x",
                    NbdClient.Options.defaults()))) {
                Throwable refused = failure(client.write(0, new byte[32 * 1024 * 1024 + 1], false));
                assertInstanceOf(IllegalArgumentException.class, refused);
                assertTrue(refused.getMessage().contains("maximum payload"), refused.getMessage());
                assertEquals(0, client.inFlight());
            }
        }
    }

    @Test
    void shouldFailTheConnectWhenTheServerNeverGreets() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            Throwable failure = failure(NbdClient.connect("127.0.0.1", silent.getLocalPort(), "x",
                    NbdClient.Options.defaults().withConnectTimeout(java.time.Duration.ofMillis(300))));
            assertInstanceOf(NbdConnectionException.class, failure);
            assertTrue(failure.getMessage().contains("not done within 300 ms"), failure.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    void shouldFailTheConnectWhenNothingListens() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Throwable failure = failure(NbdClient.connect("127.0.0.1", port, "x", NbdClient.Options.defaults()));
        assertInstanceOf(NbdConnectionException.class, failure);
    }

    @Test
    void shouldTreatAReadReplyThatDoesNotCoverTheRangeAsAProtocolError() throws Exception {
        try (ScriptedServer server = new ScriptedServer(true, true, 1 << 20, s -> {
            NbdRequest read = s.readRequest();
            s.send(StructuredReplyChunk.offsetData(read.handle(), read.offset(), ByteBuffer.wrap(new byte[10])));
        })) {
            NbdClient client = get(NbdClient.connect("127.0.0.1", server.port(), "x", NbdClient.Options.defaults()));
            Throwable failure = failure(client.read(0, 20));
            assertInstanceOf(NbdConnectionException.class, failure);
            assertTrue(failure.getMessage().contains("covers 10 bytes"), failure.getMessage());
            assertEquals(ClientState.DEAD, client.state());
            client.close();
        }
    }
}
