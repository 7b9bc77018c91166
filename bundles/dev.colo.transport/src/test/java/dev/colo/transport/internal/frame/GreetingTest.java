package dev.colo.transport.internal.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.NodeId;
import dev.colo.api.transport.LinkChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GreetingTest {

    @Test
    void shouldEncodeNodeAndChannel() throws FrameException {
        Greeting greeting = new Greeting(new NodeId("colo-a"), LinkChannel.CONTROL);
        assertArrayEquals("colo-a\nCONTROL".getBytes(StandardCharsets.UTF_8), greeting.encode());
        assertEquals(greeting, Greeting.parse(greeting.encode()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"colo-a", "colo-a\n", "Colo-A\nCONTROL", "colo-a\ncontrol", "colo-a\nCONTROL\nBULK", "\nBULK"})
    void shouldRejectMalformedGreetings(String payload) {
        FrameException error = assertThrows(FrameException.class,
                () -> Greeting.parse(payload.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ColoErrorCode.PEER_PROTOCOL_VIOLATION, error.code());
    }
}
