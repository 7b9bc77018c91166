package dev.colo.checkpoint.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.checkpoint.CheckpointReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CheckpointMessageTest {
    private static final List<CheckpointMessage> EVERY_KIND = List.of(
            new CheckpointMessage.Begin(7, true, List.of("kv", "cache"),
                    EnumSet.of(CheckpointReason.MISCOMPARE, CheckpointReason.OPERATOR)),
            new CheckpointMessage.Ready(7),
            new CheckpointMessage.State(7, "kv", false, true, new byte[] {1, 2, 3}),
            new CheckpointMessage.Received(7),
            new CheckpointMessage.Loaded(7),
            new CheckpointMessage.Failed(7, "the secondary's disk0 is full"));

    @Test
    void everyKindSurvivesTheWire() throws IOException {
        for (CheckpointMessage message : EVERY_KIND) {
            assertEquals(message, CheckpointMessage.decode(message.type(), message.encode()));
        }
        assertEquals(EVERY_KIND.stream().map(CheckpointMessage::type).toList(), CheckpointMessage.TYPES);
    }

    @Test
    void aBeginWithReasonsThisNodeDoesNotKnowIsRefused() {
        byte[] payload = new CheckpointMessage.Begin(3, false, List.of("kv"), EnumSet.of(CheckpointReason.PERIODIC))
                .encode();
        ByteBuffer.wrap(payload).putInt(payload.length - 4, 1 << 30);
        IOException e = assertThrows(IOException.class, () -> CheckpointMessage.decode("checkpoint.begin", payload));
        assertTrue(e.getMessage().contains("unknown reasons"), e.getMessage());
    }

    @Test
    void malformedPayloadsAreErrorsNamingTheProblemNeverCrashes() {
        for (CheckpointMessage message : EVERY_KIND) {
            byte[] payload = message.encode();
            for (int length = 0; length < payload.length; length++) {
                byte[] truncated = Arrays.copyOf(payload, length);
                IOException e = assertThrows(IOException.class, () -> CheckpointMessage.decode(message.type(), truncated));
                assertTrue(e.getMessage().contains(message.type()), e.getMessage());
            }
            byte[] padded = Arrays.copyOf(payload, payload.length + 1);
            assertTrue(assertThrows(IOException.class, () -> CheckpointMessage.decode(message.type(), padded))
                    .getMessage().contains("too many"));
        }
        assertTrue(assertThrows(IOException.class, () -> CheckpointMessage.decode("checkpoint.nonsense", new byte[8]))
                .getMessage().contains("unknown"));
        byte[] huge = new byte[CheckpointMessage.MAX_CHUNK_BYTES + 4096];
        assertTrue(assertThrows(IOException.class, () -> CheckpointMessage.decode("checkpoint.state", huge))
                .getMessage().contains("above the maximum"));
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            String type = CheckpointMessage.TYPES.get(random.nextInt(CheckpointMessage.TYPES.size()));
            try {
                CheckpointMessage.decode(type, noise);
            } catch (IOException expected) {
                // a clear error; anything else (a runtime exception, an allocation of gigabytes) fails the test
            }
        }
    }
}
