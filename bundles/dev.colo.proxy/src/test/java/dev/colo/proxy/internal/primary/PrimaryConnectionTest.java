package dev.colo.proxy.internal.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.proxy.internal.config.ServiceSettings;
import dev.colo.proxy.internal.wire.ProxyMessage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The primary's connection logic with recording stand-ins for the client, the guest, the peer and the coordinator. */
class PrimaryConnectionTest {
    private final ByteArrayOutputStream client = new ByteArrayOutputStream();
    private final ByteArrayOutputStream guest = new ByteArrayOutputStream();
    private final List<ProxyMessage> mirrored = new ArrayList<>();
    private final List<CheckpointReason> checkpoints = new ArrayList<>();
    private final List<String> clientEvents = new ArrayList<>();
    private final ConnectionCounters counters = new ConnectionCounters();
    private final List<Long> miscompareOffsets = new ArrayList<>();

    private PrimaryConnection connection(Map<String, Object> extra, boolean protecting) {
        Map<String, Object> properties = new java.util.HashMap<>(Map.of(ServiceSettings.NAME, "redis",
                ServiceSettings.LISTEN_PORT, "6380", ServiceSettings.GUEST_PORT, "6379",
                ServiceSettings.COMPARE_TIMEOUT_MS, "100", ServiceSettings.MAX_HELD_BYTES, "8192"));
        properties.putAll(extra);
        return new PrimaryConnection(ServiceSettings.parse(properties), 1, "192.0.2.1:5000", 0, protecting,
                new ConnectionPorts.Client() {
                    @Override
                    public void send(ByteBuffer data) {
                        client.writeBytes(bytes(data));
                    }

                    @Override
                    public void close() {
                        clientEvents.add("close");
                    }
                },
                new ConnectionPorts.Guest() {
                    @Override
                    public void send(ByteBuffer data) {
                        guest.writeBytes(bytes(data));
                    }

                    @Override
                    public void close() {
                        clientEvents.add("guest closed");
                    }

                    @Override
                    public void endInput() {
                        clientEvents.add("guest input ended");
                    }

                    @Override
                    public void pauseOutput() {
                        clientEvents.add("guest paused");
                    }

                    @Override
                    public void resumeOutput() {
                        clientEvents.add("guest resumed");
                    }
                },
                new ServicePorts(mirrored::add, (reason, detail) -> checkpoints.add(reason),
                        (id, offset) -> miscompareOffsets.add(offset), counters));
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldMirrorInputAndReleaseOutputOnlyWhenTheSecondaryAgrees() {
        PrimaryConnection connection = connection(Map.of(), true);
        assertEquals(new ProxyMessage.Open("redis", 1, "192.0.2.1:5000"), mirrored.get(0));
        connection.clientInput(ascii("PING\r\n"));
        assertEquals("PING\r\n", guest.toString(StandardCharsets.US_ASCII));
        assertEquals(new ProxyMessage.Input("redis", 1, ByteBuffer.wrap("PING\r\n".getBytes())), mirrored.get(1));

        connection.guestOutput(ascii("+PONG\r\n"), 0);
        assertEquals(0, client.size(), "held until the secondary produced the same");
        connection.secondaryOutput(0, ByteBuffer.wrap("+PONG\r\n".getBytes()), 0);
        assertEquals("+PONG\r\n", client.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of(), checkpoints);

        connection.clientClosed();
        assertEquals(new ProxyMessage.Close("redis", 1), mirrored.get(2));
        connection.guestEnded(0);
        assertEquals(List.of("guest closed"), clientEvents, "the client is closed only when both guests ended");
        connection.secondaryEnded(0);
        assertEquals(List.of("guest closed", "close"), clientEvents);
    }

    @Test
    void shouldEndOnlyTheGuestsInputWhenTheClientEndsItsInputAndStillReleaseTheReplies() {
        PrimaryConnection connection = connection(Map.of(), true);
        connection.clientInput(ascii("QUIT\r\n"));
        connection.clientInputEnded();
        assertEquals(new ProxyMessage.InputEnd("redis", 1), mirrored.get(mirrored.size() - 1));
        assertEquals(List.of("guest input ended"), clientEvents, "the guest's connection stays open for its replies");
        connection.guestOutput(ascii("+OK\r\n"), 0);
        connection.secondaryOutput(0, ascii("+OK\r\n"), 0);
        connection.guestEnded(0);
        connection.secondaryEnded(0);
        assertEquals("+OK\r\n", client.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of("guest input ended", "close"), clientEvents);
    }

    @Test
    void shouldAskForOneCheckpointOnAMismatchAndReleaseThePrimarysOutputAfterIt() {
        PrimaryConnection connection = connection(Map.of(), true);
        connection.guestOutput(ascii(":1764000000\r\n"), 0);
        connection.secondaryOutput(0, ByteBuffer.wrap(":1764000001\r\n".getBytes()), 0);
        connection.guestOutput(ascii("+OK\r\n"), 0);
        connection.secondaryOutput(0, ByteBuffer.wrap("+OK\r\n".getBytes()), 0);
        assertEquals(List.of(CheckpointReason.MISCOMPARE), checkpoints, "one request, however much follows");
        assertEquals(0, client.size());
        connection.checkpointReleased(1, -1, 0);
        assertEquals(":1764000000\r\n+OK\r\n", client.toString(StandardCharsets.US_ASCII), "the primary's output");
        assertEquals(1, counters.miscompares());
        assertEquals(List.of(10L), miscompareOffsets, "reported with the offset of the first differing byte");
        connection.guestOutput(ascii("+NEW\r\n"), 0);
        connection.secondaryOutput(0, ByteBuffer.wrap("+OLD\r\n".getBytes()), 0); // produced before the checkpoint, arriving late
        assertEquals(1, counters.miscompares(), "output of an earlier epoch is dropped, not compared");
        connection.secondaryOutput(1, ByteBuffer.wrap("+NEW\r\n".getBytes()), 0);
        assertTrue(client.toString(StandardCharsets.US_ASCII).endsWith("+NEW\r\n"));
    }

    @Test
    void shouldAskForACheckpointWhenOutputWaitsLongerThanTheCompareTimeout() {
        PrimaryConnection connection = connection(Map.of(), true);
        connection.guestOutput(ascii("slow secondary"), 0);
        connection.tick(99_000_000);
        assertEquals(List.of(), checkpoints);
        connection.tick(101_000_000);
        connection.tick(200_000_000);
        assertEquals(List.of(CheckpointReason.COMPARE_TIMEOUT), checkpoints);
        assertEquals(1, counters.timeouts());
        connection.checkpointReleased(1, -1, 0);
        assertEquals("slow secondary", client.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldPauseTheGuestsOutputAtTheBoundByDefaultAndResumeBelowHalf() {
        PrimaryConnection connection = connection(Map.of(), true);
        connection.guestOutput(ByteBuffer.wrap(new byte[8192]), 0);
        assertEquals(List.of("guest paused"), clientEvents);
        assertEquals(List.of(), checkpoints, "a secondary behind is a pace difference: pausing, not checkpointing");
        connection.secondaryOutput(0, ByteBuffer.wrap(new byte[4096]), 0);
        assertEquals(List.of("guest paused"), clientEvents, "not below half yet");
        connection.secondaryOutput(0, ByteBuffer.wrap(new byte[1]), 0);
        assertEquals(List.of("guest paused", "guest resumed"), clientEvents);
        assertEquals(4097, client.size());
        assertEquals(1, counters.boundsReached());
    }

    @Test
    void shouldCheckpointAtTheBoundWhenConfiguredSo() {
        PrimaryConnection connection = connection(Map.of(ServiceSettings.AT_BOUND, "checkpoint"), true);
        connection.guestOutput(ByteBuffer.wrap(new byte[8192]), 0);
        assertEquals(List.of(CheckpointReason.QUEUE_BOUND), checkpoints);
        assertEquals(1, counters.boundsReached());
    }

    @Test
    void shouldPauseTheSecondaryWhenItRunsAheadByTheBoundAndResumeItBelowHalf() {
        PrimaryConnection connection = connection(Map.of(), true);
        connection.secondaryOutput(0, ByteBuffer.wrap(new byte[8192]), 0);
        assertEquals(new ProxyMessage.Pause("redis", 1), mirrored.get(mirrored.size() - 1));
        assertEquals(List.of(), checkpoints, "a pace difference is not a reason for a checkpoint");
        connection.guestOutput(ByteBuffer.wrap(new byte[4096]), 0);
        assertEquals(new ProxyMessage.Pause("redis", 1), mirrored.get(mirrored.size() - 1), "still above half");
        connection.guestOutput(ByteBuffer.wrap(new byte[1]), 0);
        assertEquals(new ProxyMessage.Resume("redis", 1), mirrored.get(mirrored.size() - 1));
        assertEquals(4097, client.size());
    }

    @Test
    void shouldForwardDirectlyWithoutASecondaryAndReleaseWhatWasHeldWhenItIsLost() {
        PrimaryConnection degraded = connection(Map.of(), false);
        degraded.clientInput(ascii("GET a\r\n"));
        degraded.guestOutput(ascii("$-1\r\n"), 0);
        assertEquals("$-1\r\n", client.toString(StandardCharsets.US_ASCII));
        assertEquals(List.of(), mirrored, "nothing goes to a secondary that is not there");

        client.reset();
        PrimaryConnection protectedOne = connection(Map.of(), true);
        protectedOne.guestOutput(ascii("held"), 0);
        protectedOne.unprotected(0);
        protectedOne.guestOutput(ascii(" then direct"), 0);
        assertEquals("held then direct", client.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldEndAtACheckpointOnlyWhenItIsNotProtected() {
        PrimaryConnection protectedOne = connection(Map.of(), true);
        assertFalse(protectedOne.endIfUnprotected());
        assertEquals(List.of(), clientEvents, "a compared connection goes on across checkpoints");

        protectedOne.unprotected(0); // the secondary was lost: from now on nothing this connection says is covered
        assertTrue(protectedOne.endIfUnprotected());
        assertEquals(List.of("close", "guest closed"), clientEvents);

        clientEvents.clear();
        assertTrue(connection(Map.of(), false).endIfUnprotected(), "one that began unprotected ends too");
        assertEquals(List.of("close", "guest closed"), clientEvents);
    }

    @Test
    void shouldSplitLargeInputForThePeerLink() {
        PrimaryConnection connection = connection(Map.of(), true);
        connection.clientInput(ByteBuffer.wrap(new byte[ProxyMessage.MAX_DATA_BYTES + 10]));
        assertEquals(3, mirrored.size(), "open and two inputs");
        assertTrue(mirrored.get(2) instanceof ProxyMessage.Input input && input.data().remaining() == 10);
        assertEquals(ProxyMessage.MAX_DATA_BYTES + 10, guest.size());
    }
}
