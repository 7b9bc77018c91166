package dev.colo.replication.internal.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GenerationMessageTest {

    @Test
    void shouldRoundTripAndRefuseTruncatedOrPaddedPayloads() throws Exception {
        GenerationMessage message = new GenerationMessage(42, "disk0", 0xfeedL, 0xbeefL, "");
        byte[] wire = message.encode();
        assertEquals(message, GenerationMessage.decode(wire));
        for (int length = 0; length < wire.length; length++) {
            byte[] truncated = Arrays.copyOf(wire, length);
            assertThrows(IOException.class, () -> GenerationMessage.decode(truncated), "truncated to " + length);
        }
        assertThrows(IOException.class, () -> GenerationMessage.decode(Arrays.copyOf(wire, wire.length + 1)));
        assertThrows(IOException.class, () -> GenerationMessage.decode(new byte[1 << 16]));
    }
}
